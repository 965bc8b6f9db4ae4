//! A directory in memory whose disk can be made "full": every new file and every
//! atomic write then fails as `ENOSPC` does, the way a real full disk fails a
//! commit. For tests of what happens after a failed write (feature `testing`).

use std::io;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tantivy::Directory;
use tantivy::directory::error::{DeleteError, OpenReadError, OpenWriteError};
use tantivy::directory::{FileHandle, RamDirectory, WatchCallback, WatchHandle, WritePtr};

/// A [`RamDirectory`] with a switch that makes writes fail.
#[derive(Clone, Debug, Default)]
pub struct FaultyDirectory {
    inner: RamDirectory,
    full: Arc<AtomicBool>,
}

impl FaultyDirectory {
    /// The switch: `true` makes the disk full, `false` frees it.
    pub fn full(&self) -> Arc<AtomicBool> {
        self.full.clone()
    }

    fn no_space() -> io::Error {
        io::Error::new(io::ErrorKind::StorageFull, "No space left on device")
    }

    fn is_full(&self) -> bool {
        self.full.load(Ordering::SeqCst)
    }
}

impl Directory for FaultyDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        if self.is_full() {
            return Err(OpenWriteError::wrap_io_error(
                Self::no_space(),
                path.to_path_buf(),
            ));
        }
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        if self.is_full() {
            return Err(Self::no_space());
        }
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}
