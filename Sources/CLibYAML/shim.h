// libyaml (Debian's libyaml-dev), read event by event by DudaoSchedules's YAMLDocument.
#ifndef DUDAO_CLIBYAML_SHIM_H
#define DUDAO_CLIBYAML_SHIM_H
#include <yaml.h>
#endif
