#include <string.h>
#include <stdint.h>
#include "web_auth.h"

#define SESSION_TIMEOUT_S 900u

/* Every configuration request needs a live session (REQ-001). */
int web_auth_check(const struct session *s, uint32_t now)
{
    if (s == NULL || !s->valid) {
        return 0;
    }
    if (now - s->last_seen > SESSION_TIMEOUT_S) {
        return 0;
    }
    return 1;
}
