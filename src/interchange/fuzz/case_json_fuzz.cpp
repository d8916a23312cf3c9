// libFuzzer target: the CASE package reader must never crash, hang or leak, whatever
// bytes it is given; it either reads a framework or reports problems. A framework it
// reads must export as a package that reads back to the same export (round trip).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "interchange/case_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using pathway::interchange::ParseCasePackage;
  using pathway::interchange::WriteCasePackage;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto result = ParseCasePackage(text);
  if (!result.ok()) {
    if (result.problems().empty()) __builtin_trap();  // a refusal always says why
    return 0;
  }
  const pathway::interchange::CaseExportOptions options{"https://pathway.example/ims/case/v1p1",
                                                        "Fuzz", "2024-05-01T09:30:00Z"};
  const std::string exported = WriteCasePackage(*result, options);
  auto again = ParseCasePackage(exported);
  if (!again.ok()) __builtin_trap();                                    // own export refused
  if (WriteCasePackage(*again, options) != exported) __builtin_trap();  // not a round trip
  return 0;
}
