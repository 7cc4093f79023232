"""Login, logout and the home page."""

from django.contrib.auth.views import LoginView, LogoutView
from django.urls import path

from .views import HomeView, LoginForm

urlpatterns = [
    path(
        "login/",
        LoginView.as_view(
            template_name="registration/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("", HomeView.as_view(), name="home"),
]
