"""The demo accounts a tester logs in with: stable usernames whatever the seed, one shared password.

Only a development system loads them (seed_demo refuses otherwise): the password and the TOTP secrets are public.
"""

from __future__ import annotations

import hashlib
import hmac

DEMO_PASSWORD = "Xinbao@2026"
DEFAULT_SEED = 2026
#: Name of the TOTP devices the seed creates; demo_totp only works for these.
DEMO_DEVICE_NAME = "演示验证器"

# username -> (anchor of the unit, role slot, what the account is for)
KEY_ACCOUNTS: dict[str, tuple[str, str, str]] = {
    "ap_xxy": ("township", "informant", "安平县城关镇 专职信息员：起草、报送信息"),
    "ap_sqr": ("township", "signer", "安平县城关镇 审签人：审签本单位信息"),
    "ap_dwgl": ("township", "unit_admin", "安平县城关镇 单位管理员：本单位人员、信息员备案"),
    "ap_bj": ("county_office", "editor", "中共安平县委办公室 编辑（信息科）：审核、采用、编刊"),
    "ap_zby": ("county_office", "duty_officer", "中共安平县委办公室 值班员（总值班室）"),
    "ap_ld": ("county_office", "leader", "中共安平县委办公室 领导：阅读刊物、批示"),
    "ap_xtgl": ("county_office", "system_admin", "安平县 系统管理员"),
    "ap_aqgl": ("county_office", "security_admin", "安平县 安全管理员"),
    "ap_sjgl": ("county_office", "audit_admin", "安平县 审计管理员"),
    "sq_xxy": ("other_township", "informant", "石桥县 信息员（另一个县，用于核对越权访问被拒）"),
    "jz_bj": ("city_office", "editor", "中共江州市委办公室 编辑"),
    "mj_bj": ("province_office", "editor", "中共明江省委办公厅 编辑"),
    "mj_xtgl": ("province_office", "system_admin", "明江省 系统管理员"),
    "mj_aqgl": ("province_office", "security_admin", "明江省 安全管理员"),
    "mj_sjgl": ("province_office", "audit_admin", "明江省 审计管理员"),
}


def key_username(anchor: str, slot: str) -> str | None:
    for username, (a, s, _) in KEY_ACCOUNTS.items():
        if a == anchor and s == slot:
            return username
    return None


def demo_totp_key(seed: int, username: str) -> str:
    """A 20-byte TOTP secret (hex, as django-otp stores it) derived from the seed, so the same seed gives the same
    authenticator entries after a rebuild."""
    digest = hmac.new(b"xinbao-demo-totp", f"{seed}:{username}".encode(), hashlib.sha256).digest()
    return digest[:20].hex()
