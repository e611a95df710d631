"""Стабильные машинные коды ошибок API сотрудников (на них опирается React-админка)."""

PRECONDITION_FAILED = "precondition_failed"
PRECONDITION_REQUIRED = "precondition_required"
REGION_NOT_ALLOWED = "region_not_allowed"
API_KEY_GROUP_NOT_ALLOWED = "api_key_group_not_allowed"
