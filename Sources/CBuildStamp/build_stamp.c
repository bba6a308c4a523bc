// The build stamp: `make` writes stamp.h next to this file (gitignored) from `git describe` before it builds,
// so the version reaches the binary without a package plugin. Without that file (`swift build`, `swift test` in
// a tree `make` never built) both strings stay empty and `apnsctl --version` says the build is unstamped; after a
// `make`, a plain `swift build` keeps the stamp that `make` last wrote until the next `make` renews it.
#include "CBuildStamp.h"

#if __has_include("stamp.h")
#include "stamp.h"
#endif

#ifndef APNSCTL_STAMPED_VERSION
#define APNSCTL_STAMPED_VERSION ""
#endif
#ifndef APNSCTL_STAMPED_COMMIT
#define APNSCTL_STAMPED_COMMIT ""
#endif

const char *apnsctl_stamped_version(void) { return APNSCTL_STAMPED_VERSION; }
const char *apnsctl_stamped_commit(void) { return APNSCTL_STAMPED_COMMIT; }
