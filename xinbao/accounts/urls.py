from django.urls import path

from xinbao.accounts.views import auth, people, tokens

app_name = "accounts"

urlpatterns = [
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("password/", auth.password_change_view, name="password_change"),
    path("otp/setup/", auth.otp_setup_view, name="otp_setup"),
    path("otp/verify/", auth.otp_verify_view, name="otp_verify"),
    path("people/", people.person_list, name="people"),
    path("people/new/", people.person_create, name="person_create"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", people.person_edit, name="person_edit"),
    path("people/<int:pk>/active/", people.person_set_active, name="person_active"),
    path("people/<int:pk>/password/", people.person_password_reset, name="person_password"),
    path("people/<int:pk>/roles/", people.person_roles, name="person_roles"),
    path("people/<int:pk>/otp-reset/", people.person_otp_reset, name="person_otp_reset"),
    path("tokens/", tokens.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", tokens.token_revoke_view, name="token_revoke"),
]
