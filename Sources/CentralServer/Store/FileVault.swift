import CentralProtocol
public import Foundation

/// The dossiers' files on disk, out of the database rows: a file being received grows in
/// `partial/<dossier>/<name>`; once whole and its SHA-256 checked, it moves to
/// `sha256/<ab>/<hash>`, addressed by its content. What is on disk is the truth of how much has
/// arrived: a write cut by a crash leaves a prefix of correct bytes, and the kiosk resumes
/// after it.
public struct FileVault: Sendable {
    public let root: URL

    public init(root: URL) throws {
        self.root = root
        for folder in ["partial", "sha256"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
    }

    func partialPath(_ dossier: UUID, _ name: String) -> String {
        root.appendingPathComponent("partial").appendingPathComponent(dossier.uuidString.lowercased()).appendingPathComponent(name).path
    }

    public func storedPath(sha256: String) -> String {
        root.appendingPathComponent("sha256").appendingPathComponent(String(sha256.prefix(2))).appendingPathComponent(sha256).path
    }

    /// Bytes received so far of a file not yet whole.
    func received(_ dossier: UUID, _ name: String) -> Int {
        let fd = open(partialPath(dossier, name), O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        return max(0, Int(lseek(fd, 0, SEEK_END)))
    }

    func isStored(sha256: String) -> Bool { FileManager.default.fileExists(atPath: storedPath(sha256: sha256)) }

    /// Opens the file being received for writing at `offset`, which must be the bytes
    /// received so far; nil (with what is held) when it is not.
    func appender(_ dossier: UUID, _ name: String, at offset: Int) throws -> (FileAppender?, held: Int) {
        let path = partialPath(dossier, name)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw VaultError("cannot open \(path): \(String(cString: strerror(errno)))") }
        let size = Int(lseek(fd, 0, SEEK_END))
        guard size >= 0 else {
            close(fd)
            throw VaultError("cannot find the size of \(path)")
        }
        guard size == offset else {
            close(fd)
            return (nil, size)
        }
        return (FileAppender(fd: fd, path: path, start: offset), offset)
    }

    /// Moves a whole file to its place by content when its hash is `sha256`; when it is not,
    /// the received bytes are dropped (the kiosk sends the file again) and false is returned.
    func seal(_ dossier: UUID, _ name: String, sha256: String) throws -> Bool {
        let path = partialPath(dossier, name)
        guard let handle = FileHandle(forReadingAtPath: path) else { return isStored(sha256: sha256) }
        var hasher = SHA256Hasher()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(chunk) }
        try handle.close()
        guard hasher.finish().hexString == sha256 else {
            unlink(path)
            return false
        }
        let target = storedPath(sha256: sha256)
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        guard rename(path, target) == 0 else { throw VaultError("cannot move \(path) to \(target): \(String(cString: strerror(errno)))") }
        let directory = open((target as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
        return true
    }
}

struct VaultError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Writes a chunk as it arrives. Bytes of a connection cut mid-chunk stay: they are a prefix
/// of the upload, and the whole file's SHA-256 (the manifest's) is checked before it counts.
final class FileAppender {
    private let fd: Int32
    let path: String
    let start: Int
    private(set) var end: Int

    init(fd: Int32, path: String, start: Int) {
        self.fd = fd
        self.path = path
        self.start = start
        end = start
    }

    deinit { close(fd) }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let count = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(end))
            guard count > 0 else { throw VaultError("cannot write \(path): \(String(cString: strerror(errno)))") }
            done += count
            end += count
        }
    }

    /// Syncs what was written.
    func sync() throws {
        guard fsync(fd) == 0 else { throw VaultError("cannot sync \(path): \(String(cString: strerror(errno)))") }
    }

    /// Drops what this appender wrote (a chunk whose digest is wrong).
    func discard() {
        _ = ftruncate(fd, off_t(start))
        end = start
    }
}
