// The system libyaml (Debian: libyaml-dev), for the YAML check's event stream.
#ifndef SECURED_CYAML_SHIM_H
#define SECURED_CYAML_SHIM_H
#include <yaml.h>
#endif
