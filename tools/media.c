/*
 * media.c - what kind of medium a directory lives on (see media.h): the
 * file system type from statfs(2), then for a block device its sysfs
 * entry (/sys/dev/block/MAJ:MIN): `removable', whether its path runs
 * through a USB controller, and, for a loop device or a device-mapper
 * volume, the same questions of what lies underneath.  Public data only.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "media.h"

/* statfs f_type values (linux/magic.h, statfs(2)) of file systems whose
 * data lives on another machine or in a user-space process */
static const struct { unsigned long magic; const char *name; } netfs[] = {
	{ 0x6969UL, "NFS" },
	{ 0x517BUL, "SMB" },
	{ 0xFF534D42UL, "CIFS" },
	{ 0xFE534D42UL, "SMB2" },
	{ 0x01021997UL, "9p" },
	{ 0x65735546UL, "FUSE" },      /* sshfs, ntfs-3g, virtiofs, ... */
	{ 0x73757245UL, "Coda" },
	{ 0x5346414FUL, "AFS" },
	{ 0x6B414653UL, "kAFS" },
	{ 0x00C36400UL, "Ceph" },
	{ 0x564CUL, "NCP" },
	{ 0x7461636FUL, "OCFS2" },
	{ 0x01161970UL, "GFS2" },
	{ 0x13661366UL, "OrangeFS" },
	{ 0x0BD00BD0UL, "Lustre" },
	{ 0x47504653UL, "GPFS" },
	{ 0x786F4256UL, "vboxsf" },
};

const char *
tool_media_netfs_name(unsigned long f_type)
{
	size_t i;

	for (i = 0; i < sizeof netfs / sizeof netfs[0]; i++)
		if (netfs[i].magic == (f_type & 0xFFFFFFFFUL))
			return netfs[i].name;
	return NULL;
}

enum tool_media
tool_media_decide(unsigned long f_type, int removable, int usb)
{
	if (tool_media_netfs_name(f_type) != NULL)
		return TOOL_MEDIA_NETWORK;
	if (removable || usb)
		return TOOL_MEDIA_REMOVABLE;
	return TOOL_MEDIA_LOCAL;
}

/* 1 when the file holds "1" */
static int
read_flag(const char *path)
{
	FILE *f = fopen(path, "r");
	int c;

	if (f == NULL)
		return 0;
	c = fgetc(f);
	fclose(f);
	return c == '1';
}

struct dev_info {
	int removable, usb;
	char name[64];          /* the first device's name, for messages */
};

static void probe_sysfs(const char *sys, struct dev_info *d, int depth);

/* The block device under a file (a loop device's backing file). */
static void
probe_file(const char *file, struct dev_info *d, int depth)
{
	struct stat st;
	char sys[64];

	if (stat(file, &st) != 0 || major(st.st_dev) == 0)
		return;
	snprintf(sys, sizeof sys, "/sys/dev/block/%u:%u", major(st.st_dev),
	    minor(st.st_dev));
	probe_sysfs(sys, d, depth + 1);
}

/* sys: a /sys/dev/block/MAJ:MIN or /sys/class/block/NAME link */
static void
probe_sysfs(const char *sys, struct dev_info *d, int depth)
{
	char real[PATH_MAX], path[PATH_MAX + 32], backing[PATH_MAX];
	const char *base;
	struct dirent *e;
	FILE *f;
	DIR *dir;

	if (depth > 4 || realpath(sys, real) == NULL)
		return;
	base = strrchr(real, '/');
	base = base != NULL ? base + 1 : real;
	if (d->name[0] == '\0')
		snprintf(d->name, sizeof d->name, "%.63s", base);
	if (strstr(real, "/usb") != NULL)
		d->usb = 1;
	/* a partition has no `removable' of its own: its disk's is one up */
	snprintf(path, sizeof path, "%s/removable", real);
	if (read_flag(path))
		d->removable = 1;
	snprintf(path, sizeof path, "%s/partition", real);
	if (access(path, F_OK) == 0) {
		snprintf(path, sizeof path, "%s/../removable", real);
		if (read_flag(path))
			d->removable = 1;
	}
	snprintf(path, sizeof path, "%s/loop/backing_file", real);
	if ((f = fopen(path, "r")) != NULL) {
		if (fgets(backing, sizeof backing, f) != NULL) {
			backing[strcspn(backing, "\n")] = '\0';
			probe_file(backing, d, depth);
		}
		fclose(f);
	}
	snprintf(path, sizeof path, "%s/slaves", real);
	if ((dir = opendir(path)) != NULL) {
		while ((e = readdir(dir)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof path, "/sys/class/block/%s", e->d_name);
			probe_sysfs(path, d, depth + 1);
		}
		closedir(dir);
	}
}

int
tool_media_of(const char *dir, char *what, size_t cap)
{
	char path[PATH_MAX], sys[64], *slash;
	struct dev_info d = { 0 };
	const char *net;
	struct statfs sf;
	struct stat st;
	enum tool_media m;

	if (snprintf(path, sizeof path, "%s", dir[0] != '\0' ? dir : ".") >= (int)sizeof path) {
		snprintf(what, cap, "path too long");
		return -1;
	}
	/* the directory may not exist yet: look at its nearest existing parent */
	while (stat(path, &st) != 0 || statfs(path, &sf) != 0) {
		if ((errno != ENOENT && errno != ENOTDIR) || strcmp(path, ".") == 0 ||
		    strcmp(path, "/") == 0) {
			snprintf(what, cap, "%s", strerror(errno));
			return -1;
		}
		while ((slash = strrchr(path, '/')) != NULL && slash[1] == '\0' && slash != path)
			*slash = '\0';
		if ((slash = strrchr(path, '/')) == NULL)
			snprintf(path, sizeof path, ".");
		else if (slash == path)
			path[1] = '\0';
		else
			*slash = '\0';
	}
	net = tool_media_netfs_name((unsigned long)sf.f_type);
	/* a file system with a block device of its own (not tmpfs, overlay or
	 * btrfs, whose device numbers are anonymous) */
	if (net == NULL && major(st.st_dev) != 0) {
		snprintf(sys, sizeof sys, "/sys/dev/block/%u:%u", major(st.st_dev),
		    minor(st.st_dev));
		probe_sysfs(sys, &d, 0);
	}
	m = tool_media_decide((unsigned long)sf.f_type, d.removable, d.usb);
	if (net != NULL)
		snprintf(what, cap, "a %s file system", net);
	else if (m == TOOL_MEDIA_REMOVABLE)
		snprintf(what, cap, "%s, %s", d.name[0] != '\0' ? d.name : "a block device",
		    d.usb && d.removable ? "USB, removable" : d.usb ? "USB" : "removable");
	else
		snprintf(what, cap, "%s", d.name[0] != '\0' ? d.name : "memory or a local disk");
	return (int)m;
}
