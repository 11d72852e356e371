// The system zlib (Debian: zlib1g-dev), for gzip files met by the leak audit.
#ifndef SECURED_CZLIB_SHIM_H
#define SECURED_CZLIB_SHIM_H
#include <zlib.h>
#endif
