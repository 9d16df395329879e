// glibc's malloc_trim and mallopt, which Swift's Glibc module does not export: the service
// hands the heap a wake or a load freed back to the system (see
// ReminderService.returnFreedMemory and trimFreedMemoryPromptly).
#ifndef DUDAO_CMALLOC_SHIM_H
#define DUDAO_CMALLOC_SHIM_H
#if __has_include(<malloc.h>)
#include <malloc.h>
#endif
#endif
