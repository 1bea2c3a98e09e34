package watch

// eventlessFSTypes are the statfs f_type magic numbers of file systems
// whose changes made elsewhere (the Windows side of WSL2, another machine,
// the host of a VM) raise no inotify event on this machine.
var eventlessFSTypes = map[int64]string{
	0x01021997: "9p",     // V9FS_MAGIC: WSL2's drvfs (/mnt/c), QEMU and some VM shares
	0x6969:     "NFS",    // NFS_SUPER_MAGIC
	0xFF534D42: "CIFS",   // CIFS_SUPER_MAGIC
	0xFE534D42: "SMB2",   // SMB2_SUPER_MAGIC
	0x517B:     "SMB",    // SMB_SUPER_MAGIC
	0x65735546: "FUSE",   // FUSE_SUPER_MAGIC: sshfs, vmhgfs-fuse, bindfs, ...
	0x786f4256: "vboxsf", // VirtualBox shared folders
	0x73757245: "Coda",   // CODA_SUPER_MAGIC
	0x5346414F: "AFS",    // AFS_SUPER_MAGIC
}

// eventlessFSName names the file system of magic number t when file
// events do not arrive on it; "" when they do.
func eventlessFSName(t int64) string { return eventlessFSTypes[t] }
