//! Times opening a pack index with gix-pack, as every gix object lookup does on first use
//! (the reproduction of docs/upstream/gix-pack-validate-size.md): `File::at` runs
//! `validate_size`, which reads the whole 32-bit offset table (4 bytes per object) to count
//! large offsets. Run: `cargo run --release --example pack_index_open -- PACK.idx [RUNS]`.
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: pack_index_open PACK.idx [RUNS]"))?;
    let runs: usize = args.next().map(|r| r.parse()).transpose()?.unwrap_or(20);
    let mut times = Vec::new();
    let mut objects = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let idx = gix::odb::pack::index::File::at(&path, gix::hash::Kind::Sha1)?;
        times.push(t.elapsed());
        objects = idx.num_objects();
    }
    times.sort();
    println!(
        "{objects} objects: open median {:?}, min {:?}, max {:?} ({runs} runs)",
        times[runs / 2],
        times[0],
        times[runs - 1]
    );
    Ok(())
}
