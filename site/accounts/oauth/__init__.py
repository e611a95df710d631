"""Вход через VK ID, Яндекс ID и Telegram без сессий и cookies: результат — наша пара JWT."""
