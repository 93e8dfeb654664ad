//! [`Store`] on SQLite: one file, `DIR/jixiao.sqlite`, in WAL mode, with versioned migrations.
//!
//! WAL lets pages be read while an upload commits, and a process killed mid-write loses at most
//! the transaction in flight (SQLite rolls it back on the next open). `synchronous = NORMAL` is
//! durable against a killed process, which is the failure this server must survive; a power cut
//! may lose the last commits, never corrupt the file. Every method is one short transaction on
//! one connection behind a mutex: uploads are a few a second at most, renders are the cost.
//!
//! Migrations are numbered SQL scripts; `PRAGMA user_version` records how many have run, and
//! each runs in its own transaction with the version bump, so a crash leaves a whole step or none.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::store::*;
use super::token::TokenHash;

/// The schema, one step an entry. Append only: a released step is never edited.
const MIGRATIONS: &[&str] = &[r#"
CREATE TABLE bureau (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    token_hash BLOB NOT NULL
);
CREATE TABLE departments (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    token_hash BLOB NOT NULL UNIQUE,
    revoked INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE TABLE versions (
    department INTEGER NOT NULL REFERENCES departments(id),
    number INTEGER NOT NULL,
    uploaded TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    input_name TEXT NOT NULL,
    input TEXT NOT NULL,
    ok INTEGER NOT NULL,
    submitted INTEGER NOT NULL DEFAULT 0,
    result TEXT NOT NULL,
    files TEXT NOT NULL,
    PRIMARY KEY (department, number)
);
CREATE TABLE shared (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (kind, key)
);
"#];

/// The SQLite store.
pub struct SqliteStore {
    conn: Mutex<Connection>,
}

fn err(e: impl std::fmt::Display) -> StoreError {
    StoreError(e.to_string())
}

impl SqliteStore {
    /// Opens (creating) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> StoreResult<SqliteStore> {
        let mut conn = Connection::open(path).map_err(err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(err)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(err)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(err)?;
        migrate(&mut conn)?;
        Ok(SqliteStore {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a half transaction (rusqlite rolls back
        // on drop), so the connection is still good.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Runs the migrations the database has not seen yet.
fn migrate(conn: &mut Connection) -> StoreResult<()> {
    let done: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(err)?;
    let done = usize::try_from(done).unwrap_or(usize::MAX);
    if done > MIGRATIONS.len() {
        return Err(StoreError(format!(
            "数据库版本 {done} 比本程序新（{}），请用新版 jixiao",
            MIGRATIONS.len()
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(done) {
        let tx = conn.transaction().map_err(err)?;
        tx.execute_batch(sql).map_err(err)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)
            .map_err(err)?;
        tx.commit().map_err(err)?;
    }
    Ok(())
}

fn department(r: &Row<'_>) -> rusqlite::Result<Department> {
    Ok(Department {
        id: r.get(0)?,
        name: r.get(1)?,
        revoked: r.get(2)?,
    })
}

const VERSION_COLUMNS: &str =
    "department, number, uploaded, submitted, input_name, input, ok, result, files";

fn version(r: &Row<'_>) -> rusqlite::Result<Version> {
    let files: String = r.get(8)?;
    Ok(Version {
        department: r.get(0)?,
        number: r.get(1)?,
        uploaded: r.get(2)?,
        submitted: r.get(3)?,
        data: NewVersion {
            input_name: r.get(4)?,
            input: r.get(5)?,
            ok: r.get(6)?,
            result: r.get(7)?,
            files: serde_json::from_str(&files).unwrap_or_default(),
        },
    })
}

fn files_json(f: &VersionFiles) -> StoreResult<String> {
    serde_json::to_string(f).map_err(err)
}

impl Store for SqliteStore {
    fn bureau_token(&self) -> StoreResult<Option<TokenHash>> {
        let v: Option<Vec<u8>> = self
            .conn()
            .query_row("SELECT token_hash FROM bureau WHERE id = 1", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(err)?;
        Ok(v.and_then(|b| b.try_into().ok()).map(TokenHash))
    }

    fn set_bureau_token(&self, hash: &TokenHash) -> StoreResult<()> {
        self.conn()
            .execute(
                "INSERT INTO bureau (id, token_hash) VALUES (1, ?1)
                 ON CONFLICT (id) DO UPDATE SET token_hash = excluded.token_hash",
                [&hash.0[..]],
            )
            .map_err(err)?;
        Ok(())
    }

    fn add_department(&self, name: &str, hash: &TokenHash) -> StoreResult<Department> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO departments (name, token_hash) VALUES (?1, ?2)",
            params![name, &hash.0[..]],
        )
        .map_err(err)?;
        Ok(Department {
            id: conn.last_insert_rowid(),
            name: name.to_owned(),
            revoked: false,
        })
    }

    fn department_by_token(&self, hash: &TokenHash) -> StoreResult<Option<Department>> {
        let found: Option<(Department, Vec<u8>)> = self
            .conn()
            .query_row(
                "SELECT id, name, revoked, token_hash FROM departments WHERE token_hash = ?1",
                [&hash.0[..]],
                |r| Ok((department(r)?, r.get(3)?)),
            )
            .optional()
            .map_err(err)?;
        Ok(found.and_then(|(d, stored)| {
            let stored = TokenHash(stored.try_into().ok()?);
            (stored.matches(hash) && !d.revoked).then_some(d)
        }))
    }

    fn department(&self, id: i64) -> StoreResult<Option<Department>> {
        self.conn()
            .query_row(
                "SELECT id, name, revoked FROM departments WHERE id = ?1",
                [id],
                department,
            )
            .optional()
            .map_err(err)
    }

    fn departments(&self) -> StoreResult<Vec<Department>> {
        let conn = self.conn();
        let mut st = conn
            .prepare("SELECT id, name, revoked FROM departments ORDER BY id")
            .map_err(err)?;
        let rows = st.query_map([], department).map_err(err)?;
        rows.collect::<Result<_, _>>().map_err(err)
    }

    fn revoke(&self, id: i64) -> StoreResult<bool> {
        let n = self
            .conn()
            .execute("UPDATE departments SET revoked = 1 WHERE id = ?1", [id])
            .map_err(err)?;
        Ok(n == 1)
    }

    fn replace_token(&self, id: i64, hash: &TokenHash) -> StoreResult<bool> {
        let n = self
            .conn()
            .execute(
                "UPDATE departments SET token_hash = ?2, revoked = 0 WHERE id = ?1",
                params![id, &hash.0[..]],
            )
            .map_err(err)?;
        Ok(n == 1)
    }

    fn add_version(&self, department: i64, v: &NewVersion) -> StoreResult<Version> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(err)?;
        let number: i64 = tx
            .query_row(
                "SELECT COALESCE(MAX(number), 0) + 1 FROM versions WHERE department = ?1",
                [department],
                |r| r.get(0),
            )
            .map_err(err)?;
        tx.execute(
            "INSERT INTO versions (department, number, input_name, input, ok, result, files)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                department,
                number,
                v.input_name,
                v.input,
                v.ok,
                v.result,
                files_json(&v.files)?
            ],
        )
        .map_err(err)?;
        let stored = tx
            .query_row(
                &format!(
                    "SELECT {VERSION_COLUMNS} FROM versions WHERE department = ?1 AND number = ?2"
                ),
                params![department, number],
                version,
            )
            .map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(stored)
    }

    fn versions(&self, department: i64) -> StoreResult<Vec<Version>> {
        let conn = self.conn();
        let mut st = conn
            .prepare(&format!(
                "SELECT {VERSION_COLUMNS} FROM versions WHERE department = ?1 ORDER BY number DESC"
            ))
            .map_err(err)?;
        let rows = st.query_map([department], version).map_err(err)?;
        rows.collect::<Result<_, _>>().map_err(err)
    }

    fn version(&self, department: i64, number: i64) -> StoreResult<Option<Version>> {
        self.conn()
            .query_row(
                &format!(
                    "SELECT {VERSION_COLUMNS} FROM versions WHERE department = ?1 AND number = ?2"
                ),
                params![department, number],
                version,
            )
            .optional()
            .map_err(err)
    }

    fn recheck_version(&self, department: i64, number: i64, v: &NewVersion) -> StoreResult<()> {
        self.conn()
            .execute(
                "UPDATE versions SET ok = ?3, result = ?4, files = ?5,
                     submitted = submitted AND ?3
                 WHERE department = ?1 AND number = ?2",
                params![department, number, v.ok, v.result, files_json(&v.files)?],
            )
            .map_err(err)?;
        Ok(())
    }

    fn submit(&self, department: i64, number: i64) -> StoreResult<bool> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(err)?;
        let ok: Option<bool> = tx
            .query_row(
                "SELECT ok FROM versions WHERE department = ?1 AND number = ?2",
                params![department, number],
                |r| r.get(0),
            )
            .optional()
            .map_err(err)?;
        if ok != Some(true) {
            return Ok(false);
        }
        tx.execute(
            "UPDATE versions SET submitted = (number = ?2) WHERE department = ?1",
            params![department, number],
        )
        .map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(true)
    }

    fn defaults(&self) -> StoreResult<Option<SharedFile>> {
        self.shared("defaults", "")
    }

    fn set_defaults(&self, file: Option<&SharedFile>) -> StoreResult<()> {
        match file {
            Some(f) => self.set_shared("defaults", "", f),
            None => self
                .conn()
                .execute("DELETE FROM shared WHERE kind = 'defaults'", [])
                .map(drop)
                .map_err(err),
        }
    }

    fn last_year(&self, name: &str) -> StoreResult<Option<SharedFile>> {
        self.shared("last_year", name)
    }

    fn set_last_year(&self, organisation: &str, file: &SharedFile) -> StoreResult<()> {
        self.set_shared("last_year", organisation, file)
    }

    fn referenced_files(&self) -> StoreResult<Vec<String>> {
        let conn = self.conn();
        let mut out = Vec::new();
        let mut st = conn
            .prepare("SELECT input, files FROM versions")
            .map_err(err)?;
        let rows = st
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .map_err(err)?;
        for row in rows {
            let (input, files) = row.map_err(err)?;
            out.push(input);
            let files: VersionFiles = serde_json::from_str(&files).map_err(err)?;
            out.extend(files.hashes().cloned());
        }
        let mut st = conn.prepare("SELECT hash FROM shared").map_err(err)?;
        let rows = st.query_map([], |r| r.get::<_, String>(0)).map_err(err)?;
        for row in rows {
            out.push(row.map_err(err)?);
        }
        Ok(out)
    }
}

impl SqliteStore {
    fn shared(&self, kind: &str, key: &str) -> StoreResult<Option<SharedFile>> {
        self.conn()
            .query_row(
                "SELECT name, hash FROM shared WHERE kind = ?1 AND key = ?2",
                params![kind, key],
                |r| {
                    Ok(SharedFile {
                        name: r.get(0)?,
                        hash: r.get(1)?,
                    })
                },
            )
            .optional()
            .map_err(err)
    }

    fn set_shared(&self, kind: &str, key: &str, f: &SharedFile) -> StoreResult<()> {
        self.conn()
            .execute(
                "INSERT INTO shared (kind, key, name, hash) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (kind, key) DO UPDATE SET name = excluded.name, hash = excluded.hash",
                params![kind, key, f.name, f.hash],
            )
            .map_err(err)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::token::Token;

    fn new_version(ok: bool) -> NewVersion {
        NewVersion {
            input_name: "a.yaml".into(),
            input: "0".repeat(64),
            ok,
            result: "{}".into(),
            files: VersionFiles::default(),
        }
    }

    #[test]
    fn versions_are_numbered_and_submission_marks_one() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("db.sqlite")).unwrap();
        let t = Token::generate().unwrap();
        let d = store.add_department("卢龙县公安局", &t.hash()).unwrap();
        assert_eq!(
            store.department_by_token(&t.hash()).unwrap(),
            Some(d.clone())
        );
        assert_eq!(
            store.add_version(d.id, &new_version(true)).unwrap().number,
            1
        );
        assert_eq!(
            store.add_version(d.id, &new_version(false)).unwrap().number,
            2
        );
        assert!(
            !store.submit(d.id, 2).unwrap(),
            "a failed version cannot be submitted"
        );
        assert!(store.submit(d.id, 1).unwrap());
        let vs = store.versions(d.id).unwrap();
        assert_eq!(vs.iter().map(|v| v.number).collect::<Vec<_>>(), [2, 1]);
        assert!(vs[1].submitted && !vs[0].submitted);
        assert!(store.revoke(d.id).unwrap());
        assert_eq!(store.department_by_token(&t.hash()).unwrap(), None);
        let t2 = Token::generate().unwrap();
        assert!(store.replace_token(d.id, &t2.hash()).unwrap());
        assert_eq!(store.department_by_token(&t.hash()).unwrap(), None);
        assert!(store.department_by_token(&t2.hash()).unwrap().is_some());
    }

    #[test]
    fn reopening_keeps_rows_and_does_not_rerun_migrations() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite");
        let t = Token::generate().unwrap();
        SqliteStore::open(&path)
            .unwrap()
            .set_bureau_token(&t.hash())
            .unwrap();
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.bureau_token().unwrap(), Some(t.hash()));
    }
}
