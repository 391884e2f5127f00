//go:build linux && cgo

package jail

/*
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

// What the constructor did, for the Go side to report: 0 and "" when the
// process is in its namespaces (or was not asked to be), else the step
// that failed and its errno.
static int adagradlab_unshare_errno;
static const char *adagradlab_unshare_step = "";
static int adagradlab_unshare_fatal; // unshared but not usable: the worker must stop

static int write_file(const char *path, const char *text) {
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) return -1;
	ssize_t n = write(fd, text, strlen(text));
	int e = errno;
	close(fd);
	errno = e;
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

// mirror is the outer process's life after the fork: it holds nothing
// (every descriptor closed, so no pipe end stays open here), waits for the
// worker, and ends the way the worker ended, so that the judge, whose
// child this process is, reads the worker's own exit status or signal.
static void mirror(pid_t child) {
	if (syscall(SYS_close_range, 0U, ~0U, 0) != 0) {
		for (int fd = 0; fd < 1024; fd++) close(fd);
	}
	int st;
	while (waitpid(child, &st, 0) < 0) {
		if (errno != EINTR) _exit(2);
	}
	if (WIFEXITED(st)) _exit(WEXITSTATUS(st));
	int sig = WTERMSIG(st);
	struct rlimit none = {0, 0};
	setrlimit(RLIMIT_CORE, &none);
	signal(sig, SIG_DFL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	kill(getpid(), sig);
	_exit(128 + sig);
}

// adagradlab_unshare runs before the Go runtime starts, while the process
// still has one thread, which a new user namespace requires (the runtime's
// threads rule it out later, and make the judge's fork a full copy of its
// memory instead of a vfork). It acts only in a worker the judge asked
// (ADAGRADLAB_JAIL_UNSHARE=1): a new user namespace mapping root to the
// caller's own user, new mount, network, IPC and UTS namespaces owned by
// it, and a fork into a new pid namespace, where the worker is pid 1.
__attribute__((constructor)) static void adagradlab_unshare(void) {
	const char *asked = getenv("ADAGRADLAB_JAIL_UNSHARE");
	if (asked == NULL || strcmp(asked, "1") != 0) return;
	uid_t uid = getuid();
	gid_t gid = getgid();
	if (unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWPID) != 0) {
		adagradlab_unshare_errno = errno;
		adagradlab_unshare_step = "unshare";
		return;
	}
	char map[64];
	snprintf(map, sizeof map, "0 %u 1\n", (unsigned)uid);
	if (write_file("/proc/self/uid_map", map) != 0) {
		adagradlab_unshare_errno = errno;
		adagradlab_unshare_step = "writing uid_map";
		adagradlab_unshare_fatal = 1;
		return;
	}
	snprintf(map, sizeof map, "0 %u 1\n", (unsigned)gid);
	if (write_file("/proc/self/setgroups", "deny") != 0 || write_file("/proc/self/gid_map", map) != 0) {
		adagradlab_unshare_errno = errno;
		adagradlab_unshare_step = "writing gid_map";
		adagradlab_unshare_fatal = 1;
		return;
	}
	pid_t child = fork();
	if (child < 0) {
		adagradlab_unshare_errno = errno;
		adagradlab_unshare_step = "fork into the pid namespace";
		adagradlab_unshare_fatal = 1;
		return;
	}
	if (child > 0) mirror(child); // never returns
	// The worker: it dies with the process that mirrors it.
	prctl(PR_SET_PDEATHSIG, SIGKILL);
}

static int adagradlab_unshare_err(void) { return adagradlab_unshare_errno; }
static const char *adagradlab_unshare_where(void) { return adagradlab_unshare_step; }
static int adagradlab_unshare_broken(void) { return adagradlab_unshare_fatal; }
*/
import "C"

import (
	"fmt"
	"syscall"
)

// unsharedEarly says how the constructor above fared in this process: nil
// when it made the namespaces; an unsupported error when the system refused
// them (the worker goes on without, and says so); another error when they
// were made but are unusable (the worker must not go on).
func unsharedEarly() error {
	errno := syscall.Errno(C.adagradlab_unshare_err())
	if errno == 0 {
		return nil
	}
	err := fmt.Errorf("%s: %w", C.GoString(C.adagradlab_unshare_where()), errno)
	if C.adagradlab_unshare_broken() != 0 {
		return err
	}
	return unsupported(err.Error())
}
