/* The same tests as test_beneath.c with openat2 unavailable (ENOSYS, as on kernels
 * before 5.6 or under a seccomp filter): the O_NOFOLLOW component walk must give the
 * same answers. */
#define VG_SYS_OPENAT2 (-1)
#include "../../src/core/beneath.c"
#include "test_beneath.c"
