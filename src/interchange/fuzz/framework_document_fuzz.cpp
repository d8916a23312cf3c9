// libFuzzer target: the framework document parser must never crash, hang or leak,
// whatever bytes it is given; it either parses or reports problems.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "interchange/framework_document.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto result = pathway::interchange::ParseFrameworkDocument(text);
  if (!result.ok() && result.problems().empty()) __builtin_trap();  // a refusal always says why
  return 0;
}
