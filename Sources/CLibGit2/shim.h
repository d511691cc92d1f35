#include <git2.h>

/* git_libgit2_opts is variadic, which Swift cannot call: one wrapper per option evident sets. */

/* Trees up to `limit` bytes are kept in libgit2's object cache (its default, 4 KiB, leaves out every
   folder of more than about a hundred entries, so each path lookup read them again). */
static inline int evident_git_set_tree_cache_limit(size_t limit) {
    return git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, limit);
}
