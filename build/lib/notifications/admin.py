from django.contrib import admin

from .models import Follower, Notification, Preference, Profile


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["key", "email", "kind", "stage", "send_after", "sent_at", "cancelled_at"]
    list_filter = ["kind", "stage", "send_after", "sent_at"]
    search_fields = ["email", "key"]
    raw_id_fields = ["recipient", "follower", "board", "round", "measure", "response"]
    date_hierarchy = "send_after"


@admin.register(Follower)
class FollowerAdmin(admin.ModelAdmin):
    list_display = ["email", "recommendation", "board", "confirmed_at"]
    search_fields = ["email"]
    raw_id_fields = ["recommendation", "board"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "language"]
    raw_id_fields = ["user"]
    exclude = ["calendar_token"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "frequency"]
    list_filter = ["kind", "frequency"]
    raw_id_fields = ["user"]
