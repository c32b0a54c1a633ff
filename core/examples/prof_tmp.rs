fn main() {
    let text = std::fs::read("/tmp/corpus.yaml").unwrap();
    for _ in 0..10 {
        let mut ws = netward_core::Workspace::new(Default::default());
        ws.add_file("c.yaml", &text);
        let d = ws.check(&Default::default());
        std::hint::black_box(d);
    }
}
