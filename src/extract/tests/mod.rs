#![allow(clippy::unwrap_used)]
//! Golden tests: for each language, a small source and exactly what the extractor finds in
//! it (definitions with kind, line and container; imports; calls with their caller).

use super::*;

type Def = (&'static str, Kind, u32, Option<(&'static str, Kind)>);
type OwnedDef = (String, Kind, u32, Option<(String, Kind)>);

fn check(
    lang: Lang,
    src: &str,
    defs: &[Def],
    imports: &[(&str, u32)],
    calls: &[(&str, u32, Option<&str>)],
) {
    let index = Extractor::new(Limits::default())
        .extract(lang, src.as_bytes())
        .unwrap();
    assert_eq!(index.skip, None, "{lang}: skipped");
    let got: Vec<OwnedDef> = index
        .definitions
        .iter()
        .map(|d| (d.name.clone(), d.kind, d.line, d.container.clone()))
        .collect();
    let want: Vec<OwnedDef> = defs
        .iter()
        .map(|(n, k, l, c)| {
            (
                n.to_string(),
                *k,
                *l,
                c.map(|(cn, ck)| (cn.to_string(), ck)),
            )
        })
        .collect();
    assert_eq!(got, want, "{lang}: definitions");
    let got: Vec<(String, u32)> = index
        .imports
        .iter()
        .map(|i| (i.path.clone(), i.line))
        .collect();
    let want: Vec<(String, u32)> = imports.iter().map(|(p, l)| (p.to_string(), *l)).collect();
    assert_eq!(got, want, "{lang}: imports");
    let got: Vec<(String, u32, Option<String>)> = index
        .references
        .iter()
        .map(|r| {
            let caller = r.caller.map(|i| index.definitions[i as usize].name.clone());
            (r.name.clone(), r.line, caller)
        })
        .collect();
    let want: Vec<(String, u32, Option<String>)> = calls
        .iter()
        .map(|(n, l, c)| (n.to_string(), *l, c.map(str::to_string)))
        .collect();
    assert_eq!(got, want, "{lang}: calls");
}

#[test]
fn rust_use_tree_comments_are_dropped() {
    assert_eq!(
        import_text("a::{\n  b, // note\n  /* c, */ d,\n}".to_string()),
        "a::{\n  b, \n   d,\n}"
    );
}

mod c;
mod go;
mod java;
mod js;
mod more_langs;
mod python;
mod rust;
