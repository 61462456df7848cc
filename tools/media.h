/*
 * media.h - what kind of medium a directory lives on: this machine's own
 * memory or disk, a removable device (a USB stick, an SD card), or a
 * network or user-space file system.  Used to keep secrets (--pdf share
 * sheets, --shares-out files) from being written where they would leave
 * the machine.  Depends on libc only.  Public data only.
 */
#ifndef ESCROW_TOOL_MEDIA_H
#define ESCROW_TOOL_MEDIA_H

#include <stddef.h>

enum tool_media {
	TOOL_MEDIA_LOCAL = 0,   /* RAM, or a fixed disk of this machine */
	TOOL_MEDIA_REMOVABLE,   /* a block device that is removable or on USB */
	TOOL_MEDIA_NETWORK,     /* NFS, SMB/CIFS, 9p, FUSE, AFS, Ceph, ... */
};

/*
 * The decision from statfs(2)'s f_type and what sysfs says of the block
 * device under it (removable: its `removable' attribute is 1; usb: it sits
 * on a USB bus).  A network or FUSE file system wins over the device.
 */
enum tool_media tool_media_decide(unsigned long f_type, int removable, int usb);

/* The name of a network or user-space file system type ("NFS"), or NULL. */
const char *tool_media_netfs_name(unsigned long f_type);

/*
 * Where DIR lives (DIR need not exist yet: its nearest existing parent
 * is looked at).  Writes a few words on the medium into what (the file
 * system type, or "sdb, USB, removable").  TOOL_MEDIA_* , or -1 when even
 * "/" cannot be looked at (what says why).
 */
int tool_media_of(const char *dir, char *what, size_t cap)
    __attribute__((warn_unused_result));

#endif
