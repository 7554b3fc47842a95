import CLMDB
@preconcurrency import Glibc

/// `data.mdb` opened read-only for `pread`, so its pages can be checked without LMDB's map.
///
/// Opening and closing this descriptor is safe while LMDB has the same file open in this
/// process: closing any descriptor of a file drops the process's `fcntl` locks on that file,
/// but LMDB 0.9.24 takes all its `fcntl` locks on `lock.mdb` (`me_lfd`, in
/// `mdb_env_excl_lock`, `mdb_env_share_locks` and `mdb_reader_pid`), never on `data.mdb`.
final class DataFile {
    private let descriptor: Int32
    /// The folder's `data.mdb`, for messages.
    let path: String
    /// The file's size in bytes when it was opened.
    let size: Int

    /// Opens `folder/data.mdb`; nil when there is no such file.
    init?(folder: String) throws(LMDBError) {
        let path = folder.hasSuffix("/") ? folder + "data.mdb" : folder + "/data.mdb"
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            let code = errno
            if code == ENOENT { return nil }
            throw LMDBError(code: code, operation: "open \(path) to check it")
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let code = errno
            close(descriptor)
            throw LMDBError(code: code, operation: "find the size of \(path)")
        }
        self.descriptor = descriptor
        self.path = path
        self.size = Int(status.st_size)
    }

    deinit {
        close(descriptor)
    }

    /// Reads exactly `buffer.count` bytes at `offset`: false when the file ends sooner or the
    /// read fails (a damaged disk reads as damage too).
    func readFully(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Bool {
        var done = 0
        while done < buffer.count {
            // Safety: the destination is the unfilled tail of `buffer`, `buffer.count - done` bytes long.
            let count = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return false }
            done += count
        }
        return true
    }
}
