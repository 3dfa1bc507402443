//! Prints redb's space statistics for an index file (a development aid).
fn main() -> anyhow::Result<()> {
    let path = std::env::args()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("usage: redb_stats FILE"))?;
    let mut b = redb::Builder::new();
    b.set_concurrency_mode(redb::ConcurrencyMode::SingleWriter);
    let db = b.open(&path)?;
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
    Ok(())
}
