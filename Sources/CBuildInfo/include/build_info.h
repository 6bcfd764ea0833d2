#ifndef CBUILDINFO_BUILD_INFO_H
#define CBUILDINFO_BUILD_INFO_H

// What scripts/package.sh recorded about the source tree a binary was built from. Every
// string is empty in a plain `swift build` (see build_info.c).

/// The full git commit hash, or "".
const char *authgear_build_commit(void);
/// The commit's date (YYYY-MM-DD, committer date), or "".
const char *authgear_build_commit_date(void);
/// 1 when the tree had changes that were not committed, else 0.
int authgear_build_tree_dirty(void);

#endif
