// The build's provenance, baked in at compile time without touching the source tree.
//
// scripts/package.sh writes a header with the commit into .build/ and builds with
//   -Xcc -DAUTHGEAR_BUILD_INFO_HEADER='"/abs/path/.build/build-info/build_info_values.h"'
// so only the builds that ask for it see it. The flag never changes between package builds
// (only the header's content does), and clang's dependency file names the header, so a new
// commit recompiles this file, the executable's own module (SwiftPM rebuilds the targets that
// depend on a changed one) and relinks: nothing else (23-50 s on 2 loaded cores). A plain
// `swift build` has no such flag, and every value below is empty.
#include "build_info.h"

#ifdef AUTHGEAR_BUILD_INFO_HEADER
#include AUTHGEAR_BUILD_INFO_HEADER
#endif

#ifndef AUTHGEAR_BUILD_COMMIT
#define AUTHGEAR_BUILD_COMMIT ""
#endif
#ifndef AUTHGEAR_BUILD_COMMIT_DATE
#define AUTHGEAR_BUILD_COMMIT_DATE ""
#endif
#ifndef AUTHGEAR_BUILD_TREE_DIRTY
#define AUTHGEAR_BUILD_TREE_DIRTY 0
#endif

const char *authgear_build_commit(void) { return AUTHGEAR_BUILD_COMMIT; }
const char *authgear_build_commit_date(void) { return AUTHGEAR_BUILD_COMMIT_DATE; }
int authgear_build_tree_dirty(void) { return AUTHGEAR_BUILD_TREE_DIRTY; }
