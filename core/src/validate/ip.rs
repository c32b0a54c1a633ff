//! IP and CIDR parsing (placeholder, being written).
