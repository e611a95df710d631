"""Ограничение сотрудника регионами: какие регионы ему видны и фильтр запросов по ним.

Нет строки StaffRegionAccess — видны все регионы. Объект чужого региона неотличим от
несуществующего (404), как чужой заказ у покупателя: ограничение нельзя обойти, перебирая номера.
"""

from staffapi.models import StaffRegionAccess


def staff_region_ids(request):
    """Вернуть множество id разрешённых регионов или None (ограничения нет); кэш на запрос."""
    if not hasattr(request, "_staff_region_ids"):
        access = StaffRegionAccess.objects.filter(user_id=request.user.pk).prefetch_related("regions").first()
        request._staff_region_ids = None if access is None else {region.pk for region in access.regions.all()}
    return request._staff_region_ids


def region_scope(queryset, request, *, field="region_id"):
    """Оставить в queryset только строки разрешённых сотруднику регионов."""
    region_ids = staff_region_ids(request)
    if region_ids is None:
        return queryset
    return queryset.filter(**{f"{field}__in": region_ids})


def region_allowed(request, region_id):
    """Разрешён ли сотруднику регион region_id."""
    region_ids = staff_region_ids(request)
    return region_ids is None or region_id in region_ids
