//! C API of the respondent0 protocol header.
