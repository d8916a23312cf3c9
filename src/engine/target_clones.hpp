// Hot loops compiled twice, for AVX2 and for any x86-64, with the version chosen when the
// program loads (by an ifunc resolver). ThreadSanitizer instruments that resolver, which
// runs before the sanitizer's runtime starts and crashes the program at load, so its
// builds (the tsan preset) keep the portable version only.
#pragma once

#if defined(__SANITIZE_THREAD__)
#define PATHWAY_TARGET_CLONES
#else
#define PATHWAY_TARGET_CLONES [[gnu::target_clones("avx2", "default")]]
#endif
