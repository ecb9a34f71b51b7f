//! Transports: inproc, tcp, ipc, abstract, socket, tls and websocket.
