// Must NOT compile with web's include paths: web/ may not use the store (CMakeLists.txt).
#include "store/database.hpp"
