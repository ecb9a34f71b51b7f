//! Messages. PLACEHOLDER: the agreed API with a simple Vec-based body; the
//! msg work replaces the internals (one allocation per message, headroom,
//! shared bodies for fan-out) keeping these signatures.

use crate::core::error::{Error, Result};

/// An owned SP message: a small header (protocol data) and a body.
#[derive(Debug, Default)]
pub struct Msg {
    header: Vec<u8>,
    body: Vec<u8>,
    pipe: u32,
}

impl Msg {
    /// A message with `len` zeroed body bytes and an empty header.
    pub fn new(len: usize) -> Result<Msg> {
        Ok(Msg {
            body: vec![0; len],
            ..Default::default()
        })
    }
    /// A message whose body is a copy of `data`.
    pub fn from_slice(data: &[u8]) -> Msg {
        Msg {
            body: data.to_vec(),
            ..Default::default()
        }
    }
    /// Body bytes.
    pub fn body(&self) -> &[u8] {
        &self.body
    }
    /// Body bytes, writable (unshares a shared body).
    pub fn body_mut(&mut self) -> &mut [u8] {
        &mut self.body
    }
    /// Header bytes.
    pub fn header(&self) -> &[u8] {
        &self.header
    }
    /// Header bytes, writable.
    pub fn header_mut(&mut self) -> &mut [u8] {
        &mut self.header
    }
    /// Body length.
    pub fn len(&self) -> usize {
        self.body.len()
    }
    /// True when the body is empty.
    pub fn is_empty(&self) -> bool {
        self.body.is_empty()
    }
    /// Appends to the body.
    pub fn append(&mut self, data: &[u8]) -> Result<()> {
        self.body.extend_from_slice(data);
        Ok(())
    }
    /// Prepends to the body.
    pub fn insert(&mut self, data: &[u8]) -> Result<()> {
        self.body.splice(0..0, data.iter().copied());
        Ok(())
    }
    /// Removes `n` bytes from the front of the body.
    pub fn trim(&mut self, n: usize) -> Result<()> {
        if n > self.body.len() {
            return Err(Error::Inval);
        }
        self.body.drain(..n);
        Ok(())
    }
    /// Removes `n` bytes from the end of the body.
    pub fn chop(&mut self, n: usize) -> Result<()> {
        let len = self.body.len().checked_sub(n).ok_or(Error::Inval)?;
        self.body.truncate(len);
        Ok(())
    }
    /// Appends to the header.
    pub fn header_append(&mut self, data: &[u8]) -> Result<()> {
        self.header.extend_from_slice(data);
        Ok(())
    }
    /// Prepends to the header.
    pub fn header_insert(&mut self, data: &[u8]) -> Result<()> {
        self.header.splice(0..0, data.iter().copied());
        Ok(())
    }
    /// Removes `n` bytes from the front of the header.
    pub fn header_trim(&mut self, n: usize) -> Result<()> {
        if n > self.header.len() {
            return Err(Error::Inval);
        }
        self.header.drain(..n);
        Ok(())
    }
    /// Removes `n` bytes from the end of the header.
    pub fn header_chop(&mut self, n: usize) -> Result<()> {
        let len = self.header.len().checked_sub(n).ok_or(Error::Inval)?;
        self.header.truncate(len);
        Ok(())
    }
    /// Empties the header.
    pub fn header_clear(&mut self) {
        self.header.clear();
    }
    /// Empties the body.
    pub fn clear(&mut self) {
        self.body.clear();
    }
    /// The pipe id recorded on the message (0: none).
    pub fn pipe(&self) -> u32 {
        self.pipe
    }
    /// Records a pipe id on the message.
    pub fn set_pipe(&mut self, id: u32) {
        self.pipe = id;
    }
    /// An independent deep copy.
    pub fn dup(&self) -> Result<Msg> {
        Ok(Msg {
            header: self.header.clone(),
            body: self.body.clone(),
            pipe: self.pipe,
        })
    }
}
