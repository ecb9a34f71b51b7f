//! C API: device.
