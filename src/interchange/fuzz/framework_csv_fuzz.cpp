// libFuzzer entry point for the framework CSV reader. Besides never crashing on any
// input, it checks the reader's promise about the writer: a file that parses is written
// back as a file that parses to a framework that is written back identically.
// Seed corpus: corpus/framework_csv/.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "interchange/framework_csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using pathway::interchange::ParseFrameworkCsv;
  using pathway::interchange::WriteFrameworkCsv;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto result = ParseFrameworkCsv(text);
  if (!result.ok()) {
    if (result.problems().empty()) __builtin_trap();
    return 0;
  }
  const std::string written = WriteFrameworkCsv(*result);
  const auto again = ParseFrameworkCsv(written);
  if (!again.ok() || WriteFrameworkCsv(*again) != written) __builtin_trap();
  return 0;
}
