#ifndef APNSCTL_BUILD_STAMP_H
#define APNSCTL_BUILD_STAMP_H

/// The version and commit `make` stamped into this build (scripts/version writes them before `swift build`).
/// Each returns "" when the build was not stamped: a plain `swift build`, or a tree outside git.
const char *apnsctl_stamped_version(void);
const char *apnsctl_stamped_commit(void);

#endif
