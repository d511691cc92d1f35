#ifndef FG200_FW_UPDATE_H
#define FG200_FW_UPDATE_H
#include <stddef.h>
#include <stdint.h>

#define FW_HEADER_LEN 64u
#define FW_SIG_LEN 64u
#define FW_ERR_FORMAT (-1)
#define FW_ERR_SIGNATURE (-2)

int fw_signature_valid(const uint8_t *image, size_t image_len, const uint8_t *sig);
int fw_flash_write_inactive_bank(const uint8_t *image, size_t image_len);
int fw_update_install(const uint8_t *image, size_t image_len, const uint8_t *sig, size_t sig_len);

#endif
