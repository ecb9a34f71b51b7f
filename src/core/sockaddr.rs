//! Socket addresses. PLACEHOLDER until the sockaddr work lands.

/// A socket address of any transport.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum SockAddr {
    /// No address.
    #[default]
    Unspec,
}
