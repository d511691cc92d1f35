#include <stddef.h>
#include <stdint.h>
#include "fw_update.h"

/* Installs an image only when its signature verifies against the vendor key in ROM (REQ-002). */
int fw_update_install(const uint8_t *image, size_t image_len, const uint8_t *sig, size_t sig_len)
{
    if (image == NULL || sig == NULL || image_len < FW_HEADER_LEN || sig_len != FW_SIG_LEN) {
        return FW_ERR_FORMAT;
    }
    if (!fw_signature_valid(image, image_len, sig)) {
        return FW_ERR_SIGNATURE; /* keep the running image */
    }
    return fw_flash_write_inactive_bank(image, image_len);
}
