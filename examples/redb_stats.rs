//! Prints redb's space statistics for an index file, in total and per table (a
//! development aid: which tables cost what, for issue 19's index size).
//!
//! `cargo run --release --example redb_stats -- .git/atse/index.redb`
use redb::{ReadableDatabase, ReadableTableMetadata, TableHandle};

fn main() -> anyhow::Result<()> {
    let path = std::env::args()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("usage: redb_stats FILE"))?;
    let mut b = redb::Builder::new();
    b.set_concurrency_mode(redb::ConcurrencyMode::SingleWriter);
    let db = b.open(&path)?;
    {
        let txn = db.begin_write()?;
        let st = txn.stats()?;
        println!(
            "allocated pages {} (leaf {}, branch {}): stored {} B, metadata {} B, fragmented {} B",
            st.allocated_pages(),
            st.leaf_pages(),
            st.branch_pages(),
            st.stored_bytes(),
            st.metadata_bytes(),
            st.fragmented_bytes()
        );
        txn.abort()?;
    }
    let txn = db.begin_read()?;
    println!("| table | rows | stored | metadata | fragmented | leaf + branch pages |");
    println!("|---|---:|---:|---:|---:|---:|");
    let mut tables: Vec<_> = txn.list_tables()?.collect();
    tables.sort_by(|a, b| a.name().cmp(b.name()));
    for handle in tables {
        let name = handle.name().to_string();
        let t = txn.open_untyped_table(handle)?;
        let st = t.stats()?;
        let mb = |b: u64| format!("{:.1} MB", b as f64 / 1e6);
        println!(
            "| {name} | {} | {} | {} | {} | {} |",
            t.len()?,
            mb(st.stored_bytes()),
            mb(st.metadata_bytes()),
            mb(st.fragmented_bytes()),
            st.leaf_pages() + st.branch_pages()
        );
    }
    Ok(())
}
