// Must compile with web's include paths: the control for web_includes_store.cpp.
#include "app/services.hpp"
