// Symbol visibility for librhc. The shared library is built with hidden visibility, so only
// what is marked RHC_EXPORT is part of the ABI users link against.
#pragma once

#if defined(_WIN32)
#define RHC_EXPORT
#else
#define RHC_EXPORT __attribute__((visibility("default")))
#endif
