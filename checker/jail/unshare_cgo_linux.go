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
// that failed and its errno (after a failed map or fork the process is in
// a user namespace it cannot use: the judge starts another, see
// unsharedEarly).
static int adagradlab_unshare_errno;
static const char *adagradlab_unshare_step = "";

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
	// No core dump of this process (a core_pattern pipe ignores RLIMIT_CORE).
	struct rlimit none = {0, 0};
	setrlimit(RLIMIT_CORE, &none);
	prctl(PR_SET_DUMPABLE, 0);
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
// caller's own user; then new mount, network, IPC and UTS namespaces owned
// by it, and a fork into a new pid namespace, where the worker is pid 1.
// The user namespace comes first and alone, so that a failure to map
// oneself in it leaves a process that can still start threads (after
// unshare(CLONE_NEWPID) only its children could) and tell the judge.
__attribute__((constructor)) static void adagradlab_unshare(void) {
	const char *asked = getenv("ADAGRADLAB_JAIL_UNSHARE");
	if (asked == NULL || strcmp(asked, "1") != 0) return;
	uid_t uid = getuid();
	gid_t gid = getgid();
	if (unshare(CLONE_NEWUSER) != 0) {
		adagradlab_unshare_errno = errno;
		adagradlab_unshare_step = "unshare of the user namespace";
		return;
	}
	char map[64];
	snprintf(map, sizeof map, "0 %u 1\n", (unsigned)uid);
	// The tests' stand-in for a system that lets a process make a user
	// namespace but not map itself in it (jail_linux_test.go).
	const char *fail = getenv("ADAGRADLAB_JAIL_TEST_UNMAPPED");
	int unmapped = fail != NULL && strcmp(fail, "1") == 0;
	if (unmapped || write_file("/proc/self/uid_map", map) != 0) {
		adagradlab_unshare_errno = unmapped ? EPERM : errno;
		adagradlab_unshare_step = "writing uid_map";
		return;
	}
	snprintf(map, sizeof map, "0 %u 1\n", (unsigned)gid);
	if (write_file("/proc/self/setgroups", "deny") != 0 || write_file("/proc/self/gid_map", map) != 0) {
		adagradlab_unshare_errno = errno;
		adagradlab_unshare_step = "writing gid_map";
		return;
	}
	if (unshare(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWPID) != 0) {
		adagradlab_unshare_errno = errno;
		adagradlab_unshare_step = "unshare of the other namespaces";
		return;
	}
	pid_t child = fork();
	if (child < 0) {
		// Past the new pid namespace this process cannot start a thread,
		// so the Go runtime cannot run here: end, as a worker that did not
		// start (the judge reports it).
		dprintf(2, "worker: fork into the pid namespace: %s\n", strerror(errno));
		_exit(2);
	}
	if (child > 0) mirror(child); // never returns
	// The worker: it dies with the process that mirrors it.
	prctl(PR_SET_PDEATHSIG, SIGKILL);
}

static int adagradlab_unshare_err(void) { return adagradlab_unshare_errno; }
static const char *adagradlab_unshare_where(void) { return adagradlab_unshare_step; }
*/
import "C"

import (
	"fmt"
	"syscall"
)

// unsharedEarly says how the constructor above fared in this process: nil
// when it made the namespaces. Any failure — the system refused a user
// namespace, or one was made but its maps could not be written (a kernel
// or security module that lets a process create a user namespace but not
// map itself in it) — is NoEarlyUnshare with the step and its errno: the
// judge then starts the worker again with the namespaces made at fork,
// where the system's refusal, if it refuses, is handled and reported.
func unsharedEarly() error {
	errno := syscall.Errno(C.adagradlab_unshare_err())
	if errno == 0 {
		return nil
	}
	return unsupported(fmt.Sprintf("%s (%s: %v)", NoEarlyUnshare, C.GoString(C.adagradlab_unshare_where()), errno))
}
