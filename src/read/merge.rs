//! Defaults merging: a department file laid over `_defaults.yaml` / `--defaults` files.

use crate::read::tree::{Node, Value};

/// `over` laid on `base`: mappings merge key by key (recursively), anything else is replaced.
pub fn merge(base: Node, over: Node) -> Node {
    if over.is_null() && over.key.is_none() {
        // An empty department file keeps the defaults.
        return base;
    }
    match (base.value, over.value) {
        (Value::Map(mut entries), Value::Map(over_entries)) => {
            for (k, v) in over_entries {
                match entries.iter().position(|(bk, _)| *bk == k) {
                    Some(i) => {
                        let old = entries.remove(i).1;
                        entries.insert(i, (k, merge(old, v)));
                    }
                    None => entries.push((k, v)),
                }
            }
            Node {
                value: Value::Map(entries),
                ..over
            }
        }
        (_, value) => Node { value, ..over },
    }
}
