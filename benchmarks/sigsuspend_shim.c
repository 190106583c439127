#define _GNU_SOURCE
#include <signal.h>
#include <unistd.h>
#include <sys/syscall.h>
/* libdispatch's dispatch_main parks the main thread in sigsuspend on a static mask that valgrind cannot read
   (it stops with an internal SIGSEGV); a copy of the mask on the stack is read normally. */
int sigsuspend(const sigset_t *mask) {
    sigset_t copy = *mask;
    return (int)syscall(SYS_rt_sigsuspend, &copy, 8);
}
