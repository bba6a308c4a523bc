#ifndef APNSCTL_CZLIB_SHIM_H
#define APNSCTL_CZLIB_SHIM_H
#include <zlib.h>
// inflateInit2/deflateInit2 are macros; windowBits 15+16 selects the gzip wrapper.
static inline int apnsctl_inflateInit2(z_streamp strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}
static inline int apnsctl_deflateInit2(z_streamp strm, int level, int windowBits) {
    return deflateInit2(strm, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
}
#endif
