//! WebAssembly bindings over netward-core. For now a compiling skeleton that proves the
//! engine builds for `wasm32-unknown-unknown`; the bindings come with the WASM issue.
#![forbid(unsafe_code)]

/// The engine version the bindings wrap.
pub fn engine_version() -> &'static str {
    netward_core::VERSION
}

#[cfg(test)]
mod tests {
    #[test]
    fn wraps_the_engine() {
        assert_eq!(super::engine_version(), netward_core::VERSION);
    }
}
