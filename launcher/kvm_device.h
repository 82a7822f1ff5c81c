/* kvm_device.h - is /dev/kvm there and does it speak the KVM API?  Asked by
 * the launcher before starting a level and by the host tool before using
 * KVM for level 1. */
#ifndef SUPERNESTED_KVM_DEVICE_H
#define SUPERNESTED_KVM_DEVICE_H

#include <stddef.h>

/* 1 when /dev/kvm opens read-write and answers KVM_GET_API_VERSION with
 * the expected version; else 0 with the reason in @why. */
int kvm_device_works(char *why, size_t len);

#endif
