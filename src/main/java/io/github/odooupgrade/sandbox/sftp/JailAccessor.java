package io.github.odooupgrade.sandbox.sftp;

import io.github.odooupgrade.sandbox.RequestState;
import io.github.odooupgrade.sandbox.UpgradeRequest;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.sshd.sftp.server.DirectoryHandle;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
import org.apache.sshd.sftp.server.SftpSubsystemProxy;

/**
 * The only door between an SFTP account and the disk. The account sees one file, decided by its
 * request's state: the shared file (read, write, append) while the request is a draft, the
 * upgraded file (read only) once it is done or delivered, nothing otherwise. Creating any other
 * name, directories, links, renames and removals are refused; attribute changes are ignored. The file system
 * below is already rooted in the request's folder; this adds the per-name policy.
 */
class JailAccessor implements SftpFileSystemAccessor {
    private static final Set<OpenOption> READ_ONLY = Set.of(StandardOpenOption.READ);

    private final Function<String, UpgradeRequest> requestOfUser;

    JailAccessor(Function<String, UpgradeRequest> requestOfUser) {
        this.requestOfUser = requestOfUser;
    }

    /** The one name this account may use now, or null. */
    private String visibleName(SftpSubsystemProxy subsystem) {
        UpgradeRequest r = requestOfUser.apply(subsystem.getServerSession().getUsername());
        if (r == null) {
            return null;
        }
        if (r.state == RequestState.DRAFT) {
            return r.filename;
        }
        return r.state.isDelivered() ? r.upgradedFilename() : null;
    }

    private boolean writable(SftpSubsystemProxy subsystem) {
        UpgradeRequest r = requestOfUser.apply(subsystem.getServerSession().getUsername());
        return r != null && r.state == RequestState.DRAFT;
    }

    /** Every path the client names goes through here: only the root and the visible file resolve. */
    @Override
    public Path resolveLocalFilePath(SftpSubsystemProxy subsystem, Path rootDir, String remotePath) throws IOException {
        Path resolved = SftpFileSystemAccessor.super.resolveLocalFilePath(subsystem, rootDir, remotePath).normalize();
        Path root = rootDir.toAbsolutePath().normalize();
        Path abs = resolved.toAbsolutePath().normalize();
        if (abs.equals(root)) {
            return resolved;
        }
        String name = visibleName(subsystem);
        if (name != null && abs.getParent() != null && abs.getParent().equals(root)
                && abs.getFileName().toString().equals(name)) {
            return resolved;
        }
        throw new AccessDeniedException(remotePath, null, "only the request's file is accessible");
    }

    @Override
    public SeekableByteChannel openFile(SftpSubsystemProxy subsystem, FileHandle fileHandle, Path file, String handle,
            Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
        requireVisibleFile(subsystem, file);
        boolean wantsWrite = !READ_ONLY.containsAll(options.stream().filter(o -> o != LinkOption.NOFOLLOW_LINKS).toList());
        if (wantsWrite && !writable(subsystem)) {
            throw new AccessDeniedException(file.getFileName().toString(), null, "the file is read-only now");
        }
        return SftpFileSystemAccessor.seekableByteChannelNoLinkFollow(file, options, attrs);
    }

    /** Listing the root shows the visible file only; no other folder exists. */
    @Override
    public DirectoryStream<Path> openDirectory(SftpSubsystemProxy subsystem, DirectoryHandle dirHandle, Path dir,
            String handle, LinkOption... linkOptions) throws IOException {
        String name = visibleName(subsystem);
        DirectoryStream<Path> all = SftpFileSystemAccessor.super.openDirectory(subsystem, dirHandle, dir, handle, linkOptions);
        return new DirectoryStream<>() {
            @Override
            public Iterator<Path> iterator() {
                List<Path> visible = new ArrayList<>();
                for (Path p : all) {
                    if (name != null && p.getFileName().toString().equals(name)) {
                        visible.add(p);
                    }
                }
                return visible.iterator();
            }

            @Override
            public void close() throws IOException {
                all.close();
            }
        };
    }

    @Override
    public Map<String, ?> readFileAttributes(SftpSubsystemProxy subsystem, Path file, String view, LinkOption... options)
            throws IOException {
        return SftpFileSystemAccessor.super.readFileAttributes(subsystem, file, view, LinkOption.NOFOLLOW_LINKS);
    }

    private void requireVisibleFile(SftpSubsystemProxy subsystem, Path file) throws AccessDeniedException {
        String name = visibleName(subsystem);
        if (name == null || file.getFileName() == null || !file.getFileName().toString().equals(name)) {
            throw new AccessDeniedException(String.valueOf(file.getFileName()), null, "only the request's file is accessible");
        }
    }

    private static AccessDeniedException refused(Path path, String what) {
        return new AccessDeniedException(String.valueOf(path.getFileName()), null, what + " is not allowed");
    }

    @Override
    public void createDirectory(SftpSubsystemProxy subsystem, Path path) throws IOException {
        throw refused(path, "mkdir");
    }

    @Override
    public void createLink(SftpSubsystemProxy subsystem, Path link, Path existing, boolean symLink) throws IOException {
        throw refused(link, "creating links");
    }

    @Override
    public String resolveLinkTarget(SftpSubsystemProxy subsystem, Path link) throws IOException {
        throw refused(link, "reading links");
    }

    @Override
    public void renameFile(SftpSubsystemProxy subsystem, Path oldPath, Path newPath, Collection<CopyOption> opts)
            throws IOException {
        throw refused(oldPath, "rename");
    }

    @Override
    public void copyFile(SftpSubsystemProxy subsystem, Path src, Path dst, Collection<CopyOption> opts)
            throws IOException {
        throw refused(src, "copy");
    }

    @Override
    public void removeFile(SftpSubsystemProxy subsystem, Path path, boolean isDirectory) throws IOException {
        throw refused(path, "remove");
    }

    /*
     * Attribute changes (OpenSSH sends the local mode with every put, WinSCP sends times) are
     * accepted and ignored: the sandbox owns the file's metadata, and a client must not be able
     * to make its own file unreadable to the platform.
     */
    @Override
    public void setFileAttribute(SftpSubsystemProxy subsystem, Path file, String view, String attribute, Object value,
            LinkOption... options) {
        // ignored on purpose, see above
    }

    @Override
    public void setFileOwner(SftpSubsystemProxy subsystem, Path path, Principal value, LinkOption... options) {
        // ignored on purpose
    }

    @Override
    public void setGroupOwner(SftpSubsystemProxy subsystem, Path path, Principal value, LinkOption... options) {
        // ignored on purpose
    }

    @Override
    public void setFilePermissions(SftpSubsystemProxy subsystem, Path path, Set<PosixFilePermission> perms,
            LinkOption... options) {
        // ignored on purpose
    }

    @Override
    public void setFileAccessControl(SftpSubsystemProxy subsystem, Path path, List<AclEntry> acl, LinkOption... options) {
        // ignored on purpose
    }
}
