//! The house rule on function length: no function in the product's `src/` is longer than
//! [`LIMIT`] lines, apart from the data tables named in [`DATA_TABLES`].
//!
//! A long function usually does several jobs, and a reader has to hold all of them at once; the
//! layout engine shows the alternative, one rule a function with prose that says why. The check
//! reads the sources as Rust (through `syn`), so a function is measured from its signature to its
//! closing brace whatever the formatting, closures and nested functions count towards the item
//! that holds them, and a string or comment that happens to contain `fn` fools nothing.
//!
//! The exception list is a ratchet: an entry that no longer names a long function fails the test
//! too, so that the list only ever shrinks.

use std::path::{Path, PathBuf};

use syn::visit::Visit;

/// The longest a function may be, in lines from the first line of its signature to its closing
/// brace (doc comments and attributes not counted).
const LIMIT: usize = 80;

/// Functions allowed past the limit because they are data, not logic: a table written as one
/// expression reads better whole than cut at an arbitrary row. `file:function`.
const DATA_TABLES: &[&str] = &[];

struct Collector<'a> {
    file: &'a str,
    found: Vec<(String, usize)>,
}

impl Collector<'_> {
    fn measure(&mut self, name: &syn::Ident, sig: &syn::Signature, block: &syn::Block) {
        let start = sig.fn_token.span.start().line;
        let end = block.brace_token.span.close().end().line;
        let lines = end + 1 - start;
        if lines > LIMIT {
            self.found.push((format!("{}:{}", self.file, name), lines));
        }
    }
}

impl<'ast> Visit<'ast> for Collector<'_> {
    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.measure(&f.sig.ident, &f.sig, &f.block);
        syn::visit::visit_item_fn(self, f);
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        self.measure(&f.sig.ident, &f.sig, &f.block);
        syn::visit::visit_impl_item_fn(self, f);
    }

    fn visit_trait_item_fn(&mut self, f: &'ast syn::TraitItemFn) {
        if let Some(block) = &f.default {
            self.measure(&f.sig.ident, &f.sig, block);
        }
        syn::visit::visit_trait_item_fn(self, f);
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// Every function over the limit in `src/`, as `path:function` with its length. Test modules
/// (`#[cfg(test)]`) are measured too: a test that needs 80 lines wants a helper.
fn long_functions() -> Vec<(String, usize)> {
    let root = jixiao_tools::repo_root();
    let src = root.join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut found = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("a readable source file");
        let ast = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let rel = path.strip_prefix(&src).expect("under src/");
        let file = rel.to_string_lossy().replace('\\', "/");
        let mut collector = Collector {
            file: &file,
            found: Vec::new(),
        };
        collector.visit_file(&ast);
        found.extend(collector.found);
    }
    found
}

#[test]
fn no_function_in_src_is_longer_than_the_limit() {
    let found = long_functions();
    let unexpected: Vec<_> = found
        .iter()
        .filter(|(name, _)| !DATA_TABLES.contains(&name.as_str()))
        .map(|(name, lines)| format!("  src/{name}: {lines} lines"))
        .collect();
    assert!(
        unexpected.is_empty(),
        "functions over {LIMIT} lines (split them into functions that each do one job):\n{}",
        unexpected.join("\n")
    );
    let stale: Vec<_> = DATA_TABLES
        .iter()
        .filter(|t| !found.iter().any(|(name, _)| name == *t))
        .collect();
    assert!(
        stale.is_empty(),
        "DATA_TABLES names functions that are no longer long (take them off the list): {stale:?}"
    );
}

#[test]
fn the_check_sees_a_long_function() {
    let body = "    let _ = 1;\n".repeat(LIMIT);
    let text = format!("fn long() {{\n{body}}}\nfn short() {{}}\n");
    let ast = syn::parse_file(&text).unwrap();
    let mut collector = Collector {
        file: "x.rs",
        found: Vec::new(),
    };
    collector.visit_file(&ast);
    assert_eq!(collector.found, vec![("x.rs:long".to_string(), LIMIT + 2)]);
}
