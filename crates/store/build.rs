//! `sqlx::migrate!` embeds the migration files at compile time, and Cargo does
//! not know it reads them: without this, a new migration is not in the binary
//! until something else in this crate changes.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
