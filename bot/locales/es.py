"""Spanish messages."""

from __future__ import annotations

from bot.locales import Catalog, Plural

MESSAGES: Catalog = {
    # comandos: los nombres que se escriben, y sus argumentos (``/contar <texto>``)
    "command.start": "start",
    "command.help": "ayuda",
    "command.balance": "saldo",
    "command.count": "contar",
    "command.status": "estado",
    "command.history": "historial",
    "command.packs": "paquetes",
    "command.lang": "idioma",
    "command.timezone": "zona",
    "command.cancel": "cancelar",
    "command.send": "enviar",
    "command.buy": "comprar",
    "command.signup": "registro",
    "command.confirm": "confirmar",
    "command.resend": "reenviar",
    "command.login": "vincular",
    "command.logout": "desvincular",
    "args.count": "<texto>",
    "args.status": "[id]",
    "args.history": "[mías]",
    "args.lang": "en|pt|es",
    "args.timezone": "[zona]",
    "args.send": "[números texto]",
    "args.buy": "<paquete> [código]",
    "args.confirm": "<código>",
    "history.mine": "mías",
    # unidades, para una línea con más de un recuento
    "unit.recipients": Plural(one="{count} destinatario", other="{count} destinatarios"),
    "unit.segments": Plural(one="{count} segmento", other="{count} segmentos"),
    "unit.credits": Plural(one="{count} crédito", other="{count} créditos"),
    # forms (Slack modals)
    "form.cancel": "Cancelar",
    "form.send.title": "Enviar un SMS",
    "form.send.submit": "Vista previa",
    "form.recipients": "Destinatarios",
    "form.recipients_hint": (
        "Espacios, comas o uno por línea. Déjelo vacío para compartir un archivo CSV o TXT "
        "en la conversación."
    ),
    "form.text": "Texto",
    "form.sender": "Remitente",
    "form.sender_hint": "Hasta 11 letras o 16 dígitos.",
    "form.when": "Cuándo",
    "form.when_placeholder": "ahora",
    "form.when_hint": (
        "Vacío para ahora, o p. ej. 2026-12-01 09:30 (su zona horaria, vea {command})."
    ),
    "form.window": "Ventana de entrega",
    "form.window_placeholder": "a cualquier hora",
    "form.window_hint": "Vacío para cualquier hora, o p. ej. 09:00-20:00, días laborables, o "
    "los dos (su zona horaria, vea {command}).",
    "send.ask_window": "¿Entregar solo a ciertas horas? Escriba una ventana diaria en {zone}, "
    'p. ej. 09:00-20:00, y/o "días laborables"; o a cualquier hora.',
    "button.any_time": "A cualquier hora",
    "window.unreadable": 'No pude leer esa ventana: "{text}". Escriba p. ej. 09:00-20:00, '
    "días laborables, o los dos (9h-20h días laborables).",
    "window.backwards": "Una ventana debe terminar después de empezar, el mismo día "
    "({begin}–{end}): la entrega no puede pasar de medianoche.",
    "window.provider_wraps": "En la hora de uSendit ({zone}) esa ventana es {begin}–{end}, que "
    "pasa de medianoche allí. Elija horas que terminen antes de medianoche en {zone}.",
    "window.working_days": "días laborables",
    "window.on_working_days": "en días laborables",
    "send.preview_window": "Entregado solo {window}",
    "send.preview_window_opens": "La ventana está cerrada cuando sale: la entrega empieza "
    "{when} ({zone}).",
    "form.login.title": "Vincular uSendit",
    "form.login.submit": "Vincular",
    "form.username": "Usuario de uSendit",
    "form.password": "Contraseña",
    "form.password_hint": "Se comprueba con uSendit y se guarda cifrada.",
    "form.error.recipients": "Escriba al menos un número.",
    "form.error.text": "Escriba el mensaje.",
    "form.error.username": "Una palabra, como en uSendit.",
    "form.error.password": "Escriba la contraseña.",
    "form.error.title": "Corrija el formulario, por favor:",
    "form.error.recipients_invalid": "No son números que reciban SMS: {numbers}.",
    "form.error.unsendable": "Tiene un carácter que un SMS no puede llevar ({chars}).",
    # adaptadores
    "adapter.file_too_large": "{name} supera los {limit} MB, así que no lo he leído. "
    "Envíe un archivo más pequeño (un CSV o texto con un número por línea).",
    "adapter.file_unreadable": "No he podido descargar {name}. Envíelo de nuevo, por favor.",
    "adapter.not_deleted": "No he podido borrar su mensaje con la contraseña. Bórrelo usted y "
    "cambie ya la contraseña en uSendit.",
    "adapter.delete_yourself": "Aquí no puedo borrar su mensaje: bórrelo usted (pase el "
    "cursor, ⋮, Eliminar mensaje).",
    "adapter.not_a_member": "No estoy en esta conversación, así que no puedo leer una "
    "respuesta escrita aquí. Añádame al canal ({invite} y mi nombre) y responda de nuevo, o "
    "empiece otra vez en un mensaje directo conmigo.",
    "adapter.form_failed": "No se ha podido abrir el formulario. Vuelva a probar {command}.",
    "adapter.private_only": "Solo puedo mostrar eso en un chat privado: abra uno conmigo e "
    "inténtelo de nuevo.",
    "adapter.media_recipients": "No puedo leer números de eso. Escríbalos, o envíe un archivo "
    "CSV o TXT con un número por línea.",
    "adapter.media_text": "Aquí solo puedo leer texto: escriba su respuesta, por favor.",
    "adapter.keyboard.balance": "Saldo",
    "adapter.keyboard.send": "Enviar",
    "adapter.keyboard.status": "Estado",
    # roles
    "roles.unknown_user": (
        "Lo siento, todavía no tiene permiso para usar este bot. "
        "Pida a un administrador que añada su id: {id}"
    ),
    "roles.denied": "Lo siento, eso requiere el rol de {role}.",
    "role.NONE": "ninguno",
    "role.VIEWER": "lector",
    "role.SENDER": "remitente",
    "role.ADMIN": "administrador",
    # errors
    "error.campaign": "No se puede hacer: {detail}",
    "error.unsendable": "{what} tiene un carácter que un SMS no puede llevar{chars}; "
    "quítelo y envíelo de nuevo.",
    "error.internal": (
        "Algo ha fallado por nuestra parte; inténtelo de nuevo. "
        "/estado muestra lo que ha enviado una campaña."
    ),
    "error.unknown_command": "No conozco {name}. Escriba /ayuda para ver los comandos.",
    "error.store_before": "Mi base de datos no responde, así que no hice nada con eso. "
    "Inténtelo de nuevo dentro de un minuto.",
    "error.store": "Mi base de datos dejó de responder a mitad, así que no pude terminar. "
    "Cuando vuelva, /estado muestra lo que ha hecho una campaña.",
    "error.unknown_command_near": "No conozco {name}. ¿Quería decir {near}? Escriba /ayuda "
    "para ver los comandos.",
    "error.stale_button": "Ese botón ya no es válido.",
    "error.no_wizard": (
        "No estoy esperando ninguna respuesta. Escriba /ayuda para ver los comandos."
    ),
    "wizard.expired": "La conversación /{name} ha caducado tras una hora sin respuestas. "
    "Empiece de nuevo con /{name}.",
    "provider.down": (
        "No se puede contactar con uSendit en este momento. No se ha cobrado nada; "
        "inténtelo más tarde."
    ),
    "provider.error_page": "uSendit respondió con una página de error (HTTP {status}) en lugar "
    "de una respuesta. Puede que lo haya hecho igualmente; compruébelo en un momento antes de "
    "repetir.",
    "provider.unreadable": "No se pudo leer la respuesta de uSendit. Puede que lo haya hecho "
    "igualmente; compruébelo en un momento antes de repetir.",
    "provider.fault": "uSendit informó de un error propio al hacerlo. Inténtelo más tarde; "
    "/estado muestra lo que ha hecho una campaña.",
    "provider.unknown": (
        "uSendit no ha respondido a tiempo. Puede que aún lo esté procesando; "
        "compruébelo dentro de un momento antes de reintentar."
    ),
    "account.none": "No hay ninguna cuenta de uSendit vinculada. Un administrador puede "
    "vincular una con /vincular en un chat privado, o crear una con /registro.",
    "account.private_only": (
        "Por su seguridad, solo acepto contraseñas en un chat privado conmigo."
    ),
    # help
    "help.intro": "Soy su servicio de SMS masivos en uSendit. Comandos:",
    "help.sandbox": (
        "(Funcionando en el sandbox local de uSendit: sin SMS reales ni dinero real.)"
    ),
    "help.start": "lo que hago",
    "help.help": "esta lista",
    "help.balance": "créditos disponibles",
    "help.count": "contar los caracteres y segmentos de un SMS",
    "help.status": "estado de una campaña (la más reciente si no hay id)",
    "help.history": "las últimas campañas de este chat (mías: las suyas, de cualquier chat)",
    "help.packs": "paquetes de créditos a la venta",
    "help.lang": "idioma de las respuestas",
    "help.timezone": "su zona horaria para programar envíos, p. ej. Europe/Madrid",
    "help.cancel": "salir de la conversación actual",
    "help.send": "enviar una campaña de SMS (o /enviar <números> <texto>)",
    "help.buy": "datos de pago de un paquete de créditos",
    "help.signup": "crear una cuenta de uSendit",
    "help.confirm": "confirmar la cuenta con el código recibido por SMS",
    "help.resend": "volver a enviar el código de confirmación",
    "help.login": "vincular una cuenta de uSendit (solo en chat privado)",
    "help.logout": "desvincular su cuenta de uSendit",
    # buttons
    "button.balance": "Saldo",
    "button.use_gsm7": "Usar sin acentos",
    "button.keep_text": "Dejar como está",
    "button.default_sender": "Remitente predeterminado",
    "button.now": "Enviar ahora",
    "button.confirm": "Confirmar",
    "button.edit": "Editar",
    "button.cancel": "Cancelar",
    "button.resend": "Reenviar la parte no enviada",
    "button.resend_sure": "Sí, reenviar",
    "button.keep_waiting": "No, esperar",
    "button.continue": "Continuar el envío",
    "button.create_account": "Crear cuenta",
    # balance
    "balance.ok": Plural(
        by="credits",
        one="Queda {credits} crédito en {account}.",
        other="Quedan {credits} créditos en {account}.",
    ),
    # count
    "count.usage": "Escriba el texto después del comando: /contar ¡Hola!",
    "count.encoding": "Codificación: {encoding}",
    "count.units.GSM7": "Caracteres: {units} (septetos)",
    "count.units.UCS2": "Caracteres: {units} (unidades UTF-16)",
    "count.segments": "Segmentos: {segments} (hasta {per} caracteres cada uno)",
    "count.remaining": "Quedan en el último segmento: {remaining}",
    "count.forced": "Pasa a UCS-2 por: {chars}",
    "count.too_long": "Demasiado largo: uSendit admite como máximo {max} segmentos.",
    "count.provider_agrees": "uSendit cuenta lo mismo.",
    "count.provider_differs": Plural(
        by="segments",
        one="uSendit cuenta distinto: {segments} segmento en {encoding}.",
        other="uSendit cuenta distinto: {segments} segmentos en {encoding}.",
    ),
    "count.provider_unavailable": "(El recuento de uSendit no está disponible ahora mismo.)",
    "count.alternative": Plural(
        by="segments",
        one='Sin acentos queda en GSM-7, {segments} segmento: "{text}"',
        other='Sin acentos queda en GSM-7, {segments} segmentos: "{text}"',
    ),
    # lang, timezone, cancel
    "lang.usage": "Elija un idioma: /idioma en, /idioma pt o /idioma es (actual: {current}).",
    "lang.ok": "Responderé en español.",
    "timezone.current": "Su zona horaria es {zone}. Cámbiela con /zona Europe/Madrid.",
    "timezone.unknown": "No conozco la zona horaria {zone}. Pruebe p. ej. Europe/Madrid.",
    "timezone.ok": "Las horas programadas se leen ahora en {zone}.",
    "cancel.nothing": "No hay nada que cancelar.",
    "cancel.ok": "Cancelado.",
    # send wizard
    "send.ask_recipients": "¿A quién? Escriba los números (con espacios, comas o uno por "
    "línea) o adjunte un archivo CSV/TXT. /cancelar para parar.",
    "send.one_line_usage": "Uso: /enviar +351912345678,+351913333333 Su texto",
    "send.no_file_now": "Ahora no espero ningún archivo.",
    "send.ask_text": "Ahora el texto del mensaje.",
    "send.text_too_long": "Ese texto necesita {segments} segmentos; uSendit admite como "
    "máximo {max}. Acórtelo, por favor.",
    "send.ucs2_offer": Plural(
        by="segments",
        one=Plural(
            by="plain_segments",
            one="Los acentos hacen que este texto sea UCS-2: {segments} segmento por número. "
            'Sin acentos queda en GSM-7, {plain_segments} segmento: "{plain}"',
            other="Los acentos hacen que este texto sea UCS-2: {segments} segmento por número. "
            'Sin acentos queda en GSM-7, {plain_segments} segmentos: "{plain}"',
        ),
        other=Plural(
            by="plain_segments",
            one="Los acentos hacen que este texto sea UCS-2: {segments} segmentos por número. "
            'Sin acentos queda en GSM-7, {plain_segments} segmento: "{plain}"',
            other="Los acentos hacen que este texto sea UCS-2: {segments} segmentos por número. "
            'Sin acentos queda en GSM-7, {plain_segments} segmentos: "{plain}"',
        ),
    ),
    "send.ask_sender": "Nombre del remitente (hasta 11 letras o 16 dígitos), o el predeterminado.",
    "send.ask_when": "¿Cuándo? Enviar ahora, o una fecha y hora en {zone}, p. ej. {example}.",
    "send.when_unreadable": "No he podido leer esa hora. Use p. ej. 2026-12-01 09:30 ({zone}).",
    "send.when_skipped": "Esa hora no existe en {zone}: los relojes se la saltan ese día. "
    "Elija otra.",
    "send.when_past": "Esa hora ya ha pasado. Elija un momento en el futuro.",
    "send.preview_reminder": "Use los botones de abajo, por favor:",
    "send.preview_title": "Campaña n.º {id}, lista para enviar:",
    "send.preview_facts": Plural(
        by="segments",
        one="Destinatarios: {recipients}\nCodificación: {encoding}, {segments} segmento por "
        "número\nCréditos necesarios: {needed} (saldo: {balance})\n"
        "Remitente: {sender}\nCuándo: {when}",
        other="Destinatarios: {recipients}\nCodificación: {encoding}, {segments} segmentos por "
        "número\nCréditos necesarios: {needed} (saldo: {balance})\n"
        "Remitente: {sender}\nCuándo: {when}",
    ),
    "send.preview_short": "Atención: el saldo no cubre este envío.",
    "send.now": "ahora",
    "send.default_sender": "predeterminado",
    "send.already_confirmed": "La campaña n.º {id} ya estaba confirmada o cancelada; "
    "no se ha hecho nada más.",
    "send.preview_outdated": "La campaña n.º {id} cambió después de esa vista previa; "
    "confirme la más reciente.",
    "send.plain_offer": Plural(
        by="segments",
        one="Sin acentos sería GSM-7, {segments} segmento por número.",
        other="Sin acentos sería GSM-7, {segments} segmentos por número.",
    ),
    "home.balance": Plural(
        by="credits",
        one="*{credits}* crédito en {account}",
        other="*{credits}* créditos en {account}",
    ),
    "home.campaigns": "Sus últimas campañas",
    "home.recipients": "Destinatarios: {count}",
    "home.outcome": "Aceptados: {accepted} · rechazados: {rejected}",
    "send.ask_file": "Ahora comparta aquí el archivo CSV o TXT con los números (o escríbalos).",
    "send.resend_sure": Plural(
        one="uSendit no tiene rastro de {count} parte ({recipients}, {credits}) desde hace "
        "{waited}, así que lo más probable es que nunca se enviara. Si uSendit aún la "
        "está procesando, reenviar la envía dos veces. ¿Reenviar?",
        other="uSendit no tiene rastro de {count} partes ({recipients}, {credits}) desde hace "
        "{waited}, así que lo más probable es que nunca se enviaran. Si uSendit aún "
        "las está procesando, reenviar las envía dos veces. ¿Reenviar?",
    ),
    "send.resend_kept": "No se ha reenviado nada. /estado muestra la campaña.",
    "send.cancelled": "Campaña n.º {id} cancelada. No se ha enviado nada.",
    "send.edit": Plural(
        one="Editando: se mantiene {count} destinatario. Envíe el nuevo texto (era: {text})",
        other="Editando: se mantienen {count} destinatarios. Envíe el nuevo texto (era: {text})",
    ),
    "send.sending": "Campaña n.º {id}: enviando…",
    "send.progress": Plural(
        by="total",
        one="Campaña n.º {id}: {done}/{total} parte hecha, aceptados: {accepted}, "
        "rechazados: {rejected}…",
        other="Campaña n.º {id}: {done}/{total} partes hechas, aceptados: {accepted}, "
        "rechazados: {rejected}…",
    ),
    "send.stopped": "Campaña n.º {id}: detenida.",
    "send.insufficient": "Créditos insuficientes: este envío necesita {needed} y la cuenta "
    "tiene {available}. Compre créditos con /paquetes y /comprar y pulse Continuar.",
    # recipients
    "recipients.summary": Plural(
        one="{count} destinatario de {source}.",
        other="{count} destinatarios de {source}.",
    ),
    "recipients.rejected.INVALID": "Línea {line}: {raw} no es un número de teléfono válido.",
    "recipients.rejected.NOT_MOBILE": "Línea {line}: {raw} no es un número de móvil.",
    "recipients.rejected.DUPLICATE": "Línea {line}: {raw} repite la línea {first}.",
    "recipients.more": Plural(
        one="…y {count} línea más que se ha omitido.",
        other="…y {count} líneas más que se han omitido.",
    ),
    "recipients.none": "Ningún número válido: envíelos de nuevo.",
    "recipients.error.FILE_TOO_LARGE": (
        "Ese archivo es demasiado grande (el límite es de {limit} bytes)."
    ),
    "recipients.error.TOO_MANY_ROWS": "Ese archivo tiene demasiadas filas (el límite es {limit}).",
    "recipients.error.NOT_TEXT": "Ese archivo no es un archivo CSV ni de texto.",
    "recipients.error.NO_PHONE_COLUMN": (
        "No he encontrado ninguna columna de números de teléfono en ese archivo."
    ),
    "recipients.error.EMPTY": "Ese archivo está vacío.",
    # status, history
    "status.title": "Campaña n.º {id}: {state}",
    "status.recipients": "{recipients} × {segments} = {credits}",
    "status.scheduled": "Programada para el {when} ({zone})",
    "status.scheduled_past": "Programada para el {when} ({zone}): ya llegó su hora",
    "schedule.report": (
        "⏰ Campaña programada n.º {id}: llegó su hora ({when}, {zone}). Lo que dice ahora uSendit:"
    ),
    "status.chunks": "Partes aceptadas: {done}/{total}",
    "status.counts": "Aceptados: {accepted}, rechazados: {rejected}, créditos gastados: {credits}",
    "status.not_sent": Plural(
        one="{count} parte no se ha enviado; se puede reenviar.",
        other="{count} partes no se han enviado; se pueden reenviar.",
    ),
    "status.unknown": Plural(
        one="{count} parte se está comprobando con uSendit.",
        other="{count} partes se están comprobando con uSendit.",
    ),
    "status.duplicate": Plural(
        one="Atención: uSendit ha enviado {count} parte dos veces.",
        other="Atención: uSendit ha enviado {count} partes dos veces.",
    ),
    "status.skipped": Plural(
        one="{count} parte aún no se ha enviado (vea el motivo); Continuar la envía.",
        other="{count} partes aún no se han enviado (vea el motivo); Continuar las envía.",
    ),
    "status.safe_after": Plural(
        one="Si uSendit sigue sin rastro de ella a las {time}, podrá reenviarse.",
        other="Si uSendit sigue sin rastro de ellas a las {time}, podrán reenviarse.",
    ),
    "status.rejected_chunks": Plural(
        one="uSendit ha rechazado {count} parte.",
        other="uSendit ha rechazado {count} partes.",
    ),
    "status.reason": "Motivo: {reason}",
    "status.none": "Todavía no hay campañas aquí. Empiece una con /enviar.",
    "status.not_found": "No hay ninguna campaña {id} en este chat.",
    "status.usage": "Use /estado o /estado <id de la campaña>.",
    "history.title": "Últimas campañas:",
    "history.line": Plural(
        one="#{id} {when} {state} — {count} destinatario — {text}",
        other="#{id} {when} {state} — {count} destinatarios — {text}",
    ),
    "state.DRAFT": "borrador",
    "state.CONFIRMED": "confirmada",
    "state.CANCELLED": "cancelada",
    "state.SENDING": "enviando",
    "state.STOPPED": "detenida",
    "state.DONE": "terminada",
    "state.PARTIAL": "enviada en parte",
    "state.FAILED": "fallida",
    # packs, buy
    "packs.title": "Paquetes de créditos para {account}:",
    "packs.line": Plural(
        by="credits",
        one="{id}. {description}: {credits} crédito, {price} + {tax} % IVA = {total}",
        other="{id}. {description}: {credits} créditos, {price} + {tax} % IVA = {total}",
    ),
    "packs.hint": "Compre uno con /comprar <número> [código promocional].",
    "buy.usage": "Uso: /comprar <número de paquete> [código promocional]. Vea /paquetes.",
    "buy.ok": "Paquete {pack}: pague {amount} por Multibanco (entidad {entity}, referencia "
    "{reference}) o con tarjeta: {link}. Los créditos llegan una vez pagado.",
    # signup, confirm, login
    "signup.intro": (
        "Vamos a crear una cuenta de uSendit. /cancelar para parar en cualquier momento."
    ),
    "signup.ask.account_name": "¿Nombre de la empresa o de la cuenta?",
    "signup.ask.username": "¿Nombre de usuario (letras, dígitos, . _ -)?",
    "signup.ask.password": "¿Contraseña (de 6 a 50 caracteres)? Borraré su mensaje enseguida.",
    "signup.ask.password_hidden": "¿Contraseña (de 6 a 50 caracteres)? No se ve mientras escribe.",
    "signup.ask.email": "¿Dirección de correo electrónico?",
    "signup.ask.invoice_name": "¿Nombre para la factura?",
    "signup.ask.address": "¿Dirección de facturación?",
    "signup.ask.city": "¿Localidad?",
    "signup.bad.account_name": "El nombre debe tener de 1 a 100 caracteres.",
    "signup.bad.username": "Use de 1 a 50 letras, dígitos, puntos, guiones o guiones bajos.",
    "signup.bad.password": "La contraseña debe tener de 6 a 50 caracteres.",
    "signup.bad.email": "Eso no es una dirección de correo electrónico.",
    "signup.bad.required": "Responda con 1 a 100 caracteres, por favor.",
    "signup.ask.country": "¿País de la factura, por su código de dos letras (PT, ES, FR, BR…)?",
    "signup.bad.country": "Escriba el país por su código de dos letras, p. ej. PT, ES, FR o BR.",
    "signup.ask.msisdn": "¿Número de móvil para el SMS de confirmación?",
    "signup.bad.msisdn": (
        "Eso no es un número de móvil de {country}. Escríbalo con su prefijo, p. ej. +34612345678."
    ),
    "signup.ask.tax_id": "¿Número fiscal (p. ej. {example})?",
    "signup.ask.tax_id_free": "¿Número fiscal, como en sus facturas en {country}?",
    "signup.bad.tax_id": "Eso no es un número fiscal de {country}; tiene la forma {example}.",
    "signup.bad.tax_id_free": "Escriba el número fiscal con 4 a 20 letras y dígitos.",
    "signup.ask.zip_code": "¿Código postal (p. ej. {example})?",
    "signup.ask.zip_code_free": "¿Código postal?",
    "signup.bad.zip_code": "Eso no es un código postal de {country}; tiene la forma {example}.",
    "signup.bad.zip_code_free": (
        "Escriba el código postal con 2 a 12 letras, dígitos, espacios o guiones."
    ),
    "signup.review": "¿Crear esta cuenta?\nNombre: {account_name}\nUsuario: {username}\n"
    "Correo: {email}\nMóvil: {msisdn}\nFactura: {invoice_name}, n.º fiscal {tax_id}, {address}, "
    "{zip_code} {city}, {country}",
    "signup.created": "Cuenta {username} creada. uSendit ha enviado un código por SMS al "
    "{msisdn}: envíe /confirmar <código>.",
    "confirm.usage": "Uso: /confirmar <código del SMS>",
    "confirm.ok": "Cuenta {username} confirmada. Consulte /saldo.",
    "login.ask_username": "¿Nombre de usuario de uSendit?",
    "login.ask_password": "¿Contraseña? Borraré su mensaje enseguida.",
    "login.ask_password_hidden": "¿Contraseña? No se ve mientras escribe.",
    "login.wrong": (
        "uSendit no reconoce ese nombre de usuario y contraseña. No se ha guardado nada."
    ),
    "login.ok": Plural(
        by="credits",
        one="Vinculado a {username} ({credits} crédito). Su contraseña se guarda cifrada.",
        other="Vinculado a {username} ({credits} créditos). Su contraseña se guarda cifrada.",
    ),
    "login.pending": "Vinculado a {username}, cuenta aún sin confirmar: /confirmar <código>.",
    "login.change_password": (
        "Ha escrito una contraseña en un grupo: cámbiela en uSendit ahora mismo."
    ),
    "logout.ok": "Desvinculado. La contraseña de su cuenta ya no se usa aquí.",
    "logout.none": "No tiene ninguna cuenta vinculada.",
    # plantillas, listas guardadas, la lista de exclusión
    "command.template": "plantilla",
    "command.list": "lista",
    "command.optout": "exclusiones",
    "args.template": "[guardar <nombre> <texto> | mostrar <nombre> | borrar <nombre>]",
    "args.list": "[guardar <nombre> [#id] | mostrar <nombre> | borrar <nombre>]",
    "args.optout": "[añadir|quitar <números>]",
    "verb.save": "guardar",
    "verb.list": "listar",
    "verb.show": "mostrar",
    "verb.delete": "borrar",
    "verb.add": "añadir",
    "verb.remove": "quitar",
    "help.template": "los textos de SMS guardados en este chat, para enviarlos por su nombre",
    "help.list": "las listas de destinatarios guardadas en este chat (lista:<nombre> como "
    "destinatarios)",
    "help.optout": "números que nunca reciben SMS de su cuenta",
    "saved.bad_name": "Un nombre tiene de 1 a {max} letras o cifras (y - _ .), sin espacios.",
    "template.usage": "Use: /plantilla guardar <nombre> <texto>, /plantilla mostrar <nombre>, "
    "/plantilla borrar <nombre>, o /plantilla para verlas todas.",
    "template.saved": Plural(
        by="segments",
        one="Plantilla {name} guardada ({segments} segmento). En /enviar, pulse su botón o "
        "escriba plantilla:{name}.",
        other="Plantilla {name} guardada ({segments} segmentos). En /enviar, pulse su botón o "
        "escriba plantilla:{name}.",
    ),
    "template.replaced": Plural(
        by="segments",
        one="Plantilla {name} sustituida por el nuevo texto ({segments} segmento).",
        other="Plantilla {name} sustituida por el nuevo texto ({segments} segmentos).",
    ),
    "template.deleted": "Plantilla {name} borrada.",
    "template.unknown": "No hay ninguna plantilla {name} en este chat. /plantilla las muestra.",
    "template.none": "Todavía no hay plantillas en este chat. Guarde una con "
    "/plantilla guardar <nombre> <texto>.",
    "template.title": Plural(
        one="{count} plantilla en este chat:", other="{count} plantillas en este chat:"
    ),
    "template.show": Plural(
        by="segments",
        one="Plantilla {name} ({segments} segmento):\n{text}",
        other="Plantilla {name} ({segments} segmentos):\n{text}",
    ),
    "list.usage": "Use: /lista guardar <nombre> [#campaña], /lista mostrar <nombre>, "
    "/lista borrar <nombre>, o /lista para verlas todas.",
    "list.saved": Plural(
        one="Lista {name} guardada: {count} número, de la campaña #{id}. En /enviar, escriba "
        "{use} o pulse su botón.",
        other="Lista {name} guardada: {count} números, de la campaña #{id}. En /enviar, "
        "escriba {use} o pulse su botón.",
    ),
    "list.replaced": Plural(
        one="Lista {name} sustituida: ahora {count} número, de la campaña #{id}. En /enviar, "
        "escriba {use} o pulse su botón.",
        other="Lista {name} sustituida: ahora {count} números, de la campaña #{id}. En "
        "/enviar, escriba {use} o pulse su botón.",
    ),
    "list.deleted": "Lista {name} borrada.",
    "list.unknown": "No hay ninguna lista {name} guardada en este chat. /lista las muestra.",
    "list.none": "Todavía no hay listas guardadas en este chat. Tras un /enviar, guarde sus "
    "números con /lista guardar <nombre>.",
    "list.no_upload": "Todavía no ha dado números en este chat: empiece un /enviar con ellos "
    "(escritos o en un archivo) y luego /lista guardar <nombre>.",
    "list.title": Plural(
        one="{count} lista guardada en este chat:", other="{count} listas guardadas en este chat:"
    ),
    "list.line": Plural(
        one="• {name}: {count} número, último uso: {used}",
        other="• {name}: {count} números, último uso: {used}",
    ),
    "list.show": Plural(
        one="Lista {name}: {count} número, guardada el {saved}, último uso: {used}.",
        other="Lista {name}: {count} números, guardada el {saved}, último uso: {used}.",
    ),
    "list.never_used": "nunca",
    "list.empty": "La lista {name} no tiene números.",
    "optout.usage": "Use: /exclusiones añadir <números> (o adjunte un archivo CSV/TXT), "
    "/exclusiones quitar <números>, o /exclusiones para ver cuántos hay.",
    "optout.ask": "Escriba los números que van a la lista de exclusión, o comparta un archivo "
    "CSV/TXT con ellos. /cancelar para parar.",
    "optout.count": Plural(
        one="{count} número está en la lista de exclusión de {account}: nunca recibe SMS de "
        "esta cuenta.",
        other="{count} números están en la lista de exclusión de {account}: nunca reciben SMS "
        "de esta cuenta.",
    ),
    "optout.read": Plural(
        one="{count} número leído de {source}.", other="{count} números leídos de {source}."
    ),
    "optout.none_read": "Ningún número válido: envíelos de nuevo.",
    "optout.added": Plural(
        one="{count} número añadido a la lista de exclusión.",
        other="{count} números añadidos a la lista de exclusión.",
    ),
    "optout.already": Plural(one="{count} ya estaba en ella.", other="{count} ya estaban en ella."),
    "optout.removed": Plural(
        one="{count} número quitado de la lista de exclusión.",
        other="{count} números quitados de la lista de exclusión.",
    ),
    "optout.not_there": Plural(
        one="{count} no estaba en ella.", other="{count} no estaban en ella."
    ),
    "optout.total": Plural(
        one="La lista de {account} tiene ahora {count} número.",
        other="La lista de {account} tiene ahora {count} números.",
    ),
    "send.opted_out": Plural(
        one="{count} de ellos está en la lista de exclusión y queda fuera.",
        other="{count} de ellos están en la lista de exclusión y quedan fuera.",
    ),
    "send.everyone_opted_out": Plural(
        one="Ese número está en la lista de exclusión: no hay a quién enviar.",
        other="Los {count} números están todos en la lista de exclusión: no hay a quién enviar.",
    ),
    "send.preview_opted_out": Plural(
        one="Fuera: {count} número de la lista de exclusión.",
        other="Fuera: {count} números de la lista de exclusión.",
    ),
    "status.excluded": Plural(
        one="Excluido: {count} número de la lista de exclusión (nunca enviado, nunca cobrado).",
        other="Excluidos: {count} números de la lista de exclusión (nunca enviados, nunca "
        "cobrados).",
    ),
    # credit pushes: a low-credit alert, a payment received
    "command.alert": "alerta",
    "args.alert": "[créditos|apagar]",
    "help.alert": "un aviso aquí cuando los créditos de la cuenta se agotan",
    "alert.off_word": "apagar",
    "alert.none": "No hay aviso de créditos bajos para {account} en esta conversación. Cree "
    "uno: /alerta 500",
    "alert.current": Plural(
        one="Esta conversación recibe un aviso cuando {account} tenga menos de {count} crédito.",
        other="Esta conversación recibe un aviso cuando {account} tenga menos de {count} créditos.",
    ),
    "alert.set": Plural(
        one="Hecho: esta conversación recibirá un aviso cuando {account} tenga menos de "
        "{count} crédito.",
        other="Hecho: esta conversación recibirá un aviso cuando {account} tenga menos de "
        "{count} créditos.",
    ),
    "alert.removed": "El aviso de créditos bajos de {account} está apagado en esta conversación.",
    "alert.usage": "Use: /alerta <créditos> (por ejemplo /alerta 500), o /alerta apagar.",
    "alert.low": "Se agotan los créditos: a {account} le quedan {credits}, por debajo del aviso "
    "de {threshold}. /paquetes muestra lo que puede comprar.",
    "alert.paid": Plural(
        one="Pago recibido: {count} crédito añadido, {account} tiene ahora {credits}.",
        other="Pago recibido: {count} créditos añadidos, {account} tiene ahora {credits}.",
    ),
    # a campaign's results as a file (/status, Export)
    "button.export": "Exportar resultados (CSV)",
    "export.ready": Plural(
        one="Resultados de #{id}: {count} número, una fila cada uno.",
        other="Resultados de #{id}: {count} números, una fila cada uno.",
    ),
    "export.failed": "No pude escribir el archivo de resultados de #{id}; inténtelo en un momento.",
    "export.number": "número",
    "export.status": "estado",
    "export.reason": "motivo",
    "export.msg_id": "id del mensaje en uSendit",
    "export.sms": "SMS (partes)",
    "export.text": "Texto",
    "export.excluded": "En la lista de exclusión: nunca enviado, nunca cobrado.",
    "export.state.pending": "Aún no enviado.",
    "export.state.in_flight": "Enviándose.",
    "export.state.accepted": "Aceptado; uSendit no dio estado para este número.",
    "export.state.rejected": "Rechazado por uSendit.",
    "export.state.unknown": "Aún no se sabe si se envió; se está comprobando con uSendit.",
    "export.state.not_sent": "No enviado: uSendit no tiene rastro de él.",
    "export.state.skipped": "No enviado: la campaña se detuvo antes de esta parte.",
    "export.state.duplicate": "Enviado dos veces: uSendit tiene dos eventos para esta parte.",
    "form.template": "Plantilla",
    "form.template_placeholder": "Elija una plantilla",
    "form.list": "Lista guardada",
    "form.list_placeholder": "Elija una lista guardada",
    "form.text_hint": "O déjelo vacío y elija una plantilla abajo.",
    "form.recipients_hint_lists": "Espacios, comas o uno por línea, o lista:<nombre>. Déjelo "
    "vacío para elegir una lista guardada abajo, o para compartir un archivo CSV o TXT en la "
    "conversación.",
    "form.error.template_and_text": "Elija una plantilla o escriba un texto, no ambos.",
    "form.error.list_and_recipients": "Elija una lista guardada o escriba números, no ambos.",
    # aprobación de envíos grandes (/aprobacion)
    "command.approval": "aprobacion",
    "args.approval": "[créditos|apagar|conversacion]",
    "help.approval": "las campañas de más de un número de créditos esperan a una segunda persona",
    "approval.off_word": "apagar",
    "approval.chat_word": "conversacion",
    "approval.usage": "Use: /aprobacion <créditos> (por ejemplo /aprobacion 5000), /aprobacion "
    "apagar, o /aprobacion conversacion en el chat donde se deciden las aprobaciones "
    "(/aprobacion conversacion apagar lo deshace).",
    "approval.none": "Las campañas hechas en este chat no necesitan aprobación. Un "
    "administrador fija un límite: /aprobacion 5000",
    "approval.current": Plural(
        one="Las campañas hechas en este chat de más de {count} crédito esperan a una segunda "
        "persona (remitente o administrador que no sea el autor), como mucho {minutes} min.",
        other="Las campañas hechas en este chat de más de {count} créditos esperan a una "
        "segunda persona (remitente o administrador que no sea el autor), como mucho "
        "{minutes} min.",
    ),
    "approval.set": Plural(
        one="Hecho: las campañas hechas en este chat de más de {count} crédito esperarán a una "
        "segunda persona (remitente o administrador que no sea el autor), como mucho "
        "{minutes} min.",
        other="Hecho: las campañas hechas en este chat de más de {count} créditos esperarán a "
        "una segunda persona (remitente o administrador que no sea el autor), como mucho "
        "{minutes} min.",
    ),
    "approval.removed": "Hecho: las campañas hechas en este chat ya no necesitan aprobación.",
    "approval.chat_set": "Hecho: las aprobaciones de todas las campañas de {account} se piden "
    "en este chat.",
    "approval.chat_removed": "Hecho: las aprobaciones de las campañas de {account} se piden en "
    "el chat donde se hizo cada campaña.",
    "approval.chat_own": "Las aprobaciones de las campañas de {account} se piden en el chat "
    "donde se hizo cada campaña.",
    "approval.chat_this": "Las aprobaciones de las campañas de {account} se piden en este chat.",
    "approval.chat_other": "Las aprobaciones de las campañas de {account} se piden en otro "
    "chat (elegido allí con /aprobacion conversacion).",
    "approval.asked_here": Plural(
        one="#{id} gasta {credits}, por encima del límite de aprobación, {count} "
        "crédito: espera a que un remitente o administrador distinto de usted la apruebe "
        "aquí, hasta {time}.",
        other="#{id} gasta {credits}, por encima del límite de aprobación, "
        "{count} créditos: espera a que un remitente o administrador distinto de usted la "
        "apruebe aquí, hasta {time}.",
    ),
    "approval.asked_elsewhere": Plural(
        one="#{id} gasta {credits}, por encima del límite de aprobación, {count} "
        "crédito: espera a que un remitente o administrador distinto de usted la apruebe en "
        "el chat de aprobación, hasta {time}.",
        other="#{id} gasta {credits}, por encima del límite de aprobación, "
        "{count} créditos: espera a que un remitente o administrador distinto de usted la "
        "apruebe en el chat de aprobación, hasta {time}.",
    ),
    "approval.waiting": "#{id} espera aprobación (hasta {time}): mientras tanto no se puede "
    "cambiar, confirmar ni cancelar.",
    "approval.already_approved": "#{id} ya fue aprobada por {name}.",
    "approval.already_rejected": "#{id} ya fue rechazada por {name}.",
    "approval.already_expired": "La aprobación de #{id} caducó: no se envió.",
    "approval.own": "Usted hizo #{id}: otra persona debe aprobarla o rechazarla.",
    "approval.unavailable": "#{id} cambió después de pedir su aprobación: ya no se puede "
    "aprobar, y no se envió nada.",
    "approval.you_approved": "Aprobó #{id}: se está enviando.",
    "approval.you_rejected": "Rechazó #{id}: no se enviará nada.",
    "approval.status_waiting": "Esperando aprobación de un remitente o administrador distinto "
    "de {name}, hasta {time}.",
    "approval.status_approved": "Aprobada por {name}.",
    "approval.status_rejected": "Rechazada por {name}: no se envió nada.",
    "approval.status_expired": "Nadie la aprobó a tiempo: no se envió nada.",
    "approval.request": Plural(
        one="Aprobación pedida: #{id} de {name}, {recipients}, {credits} "
        "(límite: {count} crédito).",
        other="Aprobación pedida: #{id} de {name}, {recipients}, {credits} "
        "(límite: {count} créditos).",
    ),
    "approval.request_text": "Texto: {text}",
    "approval.request_when": "Envío: {when}. Decida antes de {time}.",
    "approval.decided_approved": "Aprobada por {name}.",
    "approval.decided_rejected": "Rechazada por {name}.",
    "approval.decided_expired": "Caducó: nadie decidió a tiempo; no se envió.",
    "approval.approved": "{name} aprobó #{id}: se está enviando.",
    "approval.rejected": "{name} rechazó #{id}: no se envió nada.",
    "approval.expired": "Nadie aprobó #{id} a tiempo: no se envió nada. /enviar empieza de nuevo.",
    "button.approve": "Aprobar",
    "button.reject": "Rechazar",
    # el registro de auditoría (/auditoria)
    "command.audit": "auditoria",
    "args.audit": "[número]",
    "help.audit": "el registro de auditoría: quién gastó créditos o cambió accesos, con "
    "exportación CSV",
    "audit.usage": "Use /auditoria, o /auditoria <cuántas> (como máximo {max}).",
    "audit.none": "Aún no hay nada en el registro de auditoría.",
    "audit.title_account": "Registro de auditoría de {account} y de esta conversación, primero "
    "lo más reciente:",
    "audit.title_chat": "Registro de auditoría de esta conversación, primero lo más reciente:",
    "audit.line": "{when} · {who} en {where}: {what}",
    "audit.refused": "{what}, rechazado: {reason}",
    "button.export_audit": "Exportar (CSV)",
    "audit.export_ready": Plural(
        one="El registro de auditoría: {count} entrada, una fila cada una.",
        other="El registro de auditoría: {count} entradas, una fila cada una.",
    ),
    "audit.export_failed": "No pude escribir el archivo del registro de auditoría; inténtelo en "
    "un momento.",
    "audit.what.confirm": "confirmó la campaña #{campaign} ({credits})",
    "audit.what.continue": "pidió seguir enviando la campaña #{campaign}",
    "audit.what.resend": "pidió reenviar las partes de la campaña #{campaign} que uSendit nunca "
    "recibió",
    "audit.what.approve": "aprobó la campaña #{campaign}",
    "audit.what.reject": "rechazó la campaña #{campaign}",
    "audit.what.buy": "compró el paquete {pack} ({amount})",
    "audit.what.buy_promo": "compró el paquete {pack} con un código promocional ({amount})",
    "audit.what.signup": "creó la cuenta uSendit {username}",
    "audit.what.signup_confirm": "confirmó la cuenta uSendit {username}",
    "audit.what.login": "vinculó la cuenta uSendit {username}",
    "audit.what.logout": "desvinculó la cuenta uSendit {username}",
    "audit.what.role": "el rol {role} es ahora de {name}",
    "audit.what.role_none": "nadie tiene ahora el rol {role}",
    "audit.what.setting": "cambió {setting} a {value}",
    "audit.what.optout_add": Plural(
        one="añadió {count} número a la lista de exclusión",
        other="añadió {count} números a la lista de exclusión",
    ),
    "audit.what.optout_remove": Plural(
        one="quitó {count} número de la lista de exclusión",
        other="quitó {count} números de la lista de exclusión",
    ),
    "audit.what.template_save": "guardó la plantilla {name}",
    "audit.what.template_delete": "borró la plantilla {name}",
    "audit.what.list_save": Plural(
        one="guardó la lista {name} ({count} número)",
        other="guardó la lista {name} ({count} números)",
    ),
    "audit.what.list_delete": "borró la lista {name}",
    "audit.setting.lang": "el idioma",
    "audit.setting.timezone": "la zona horaria",
    "audit.setting.alert": "la alerta de créditos bajos",
    "audit.column.id": "entrada",
    "audit.column.at": "cuándo (UTC)",
    "audit.column.who": "quién",
    "audit.column.name": "nombre",
    "audit.column.chat": "conversación",
    "audit.column.platform": "plataforma",
    "audit.column.account": "cuenta",
    "audit.column.action": "acción",
    "audit.column.what": "detalles",
    "audit.column.said": "descripción",
    "personal.columns": "Columnas que puede usar en el texto: {columns}",
    "personal.title": "Este texto no sirve para la lista:",
    "personal.unknown": Plural(
        one="Ninguna columna se llama {fields}. Las columnas del archivo: {columns}.",
        other="Ninguna columna se llama {fields}. Las columnas del archivo: {columns}.",
    ),
    "personal.no_columns": Plural(
        one="Campo desconocido {fields}: estos destinatarios no tienen columnas. Los campos "
        "vienen de un archivo CSV con cabecera (una lista guardada solo guarda números).",
        other="Campos desconocidos {fields}: estos destinatarios no tienen columnas. Los "
        "campos vienen de un archivo CSV con cabecera (una lista guardada solo guarda números).",
    ),
    "personal.empty": Plural(
        one="Valor vacío en la línea {lines}.",
        other="Valores vacíos en las líneas {lines}.",
    ),
    "personal.unsendable": Plural(
        one="Caracteres que ningún SMS puede llevar en la línea {lines}.",
        other="Caracteres que ningún SMS puede llevar en las líneas {lines}.",
    ),
    "personal.too_long": Plural(
        one="Texto demasiado largo (más de {max} segmentos) en la línea {lines}.",
        other="Textos demasiado largos (más de {max} segmentos) en las líneas {lines}.",
    ),
    "personal.line_segments": "{line} ({segments} segmentos)",
    "personal.more": Plural(one=" y {count} más", other=" y {count} más"),
    "personal.longest": Plural(
        by="segments",
        one="Mensaje más largo (línea {line}, {segments} segmento):",
        other="Mensaje más largo (línea {line}, {segments} segmentos):",
    ),
    "personal.samples": "Muestra:",
    "personal.mixed": "UCS-2 en {count} de {total} mensajes, GSM-7 en el resto",
    "personal.facts": "Destinatarios: {recipients}\nCodificación: {encoding}\n"
    "Segmentos por mensaje: {low} a {high}\nCréditos necesarios: {needed} "
    "(saldo: {balance})\nRemitente: {sender}\nCuándo: {when}",
    "personal.plain_offer": "Sin acentos todos los mensajes serían GSM-7: {credits} créditos "
    "en lugar de {needed}.",
}

STATUSES: dict[str, str] = {
    "PROVIDER_UNAVAILABLE": "No se ha podido contactar con uSendit; pulse Continuar para "
    "intentarlo de nuevo.",
    "INVALID_REQUEST": "El texto o el remitente tiene un carácter que un SMS no puede llevar.",
    "SUCCESS": "Hecho.",
    "SCHEDULE_OK": "Los mensajes se han programado.",
    "SCHEDULE_OK_WARNING": (
        "Los mensajes se han programado, pero se han rechazado algunos destinatarios."
    ),
    "SCHEDULE_UNKNOWN": "uSendit no conoce esa programación en esta cuenta.",
    "SCHEDULE_ERROR": "uSendit no ha podido programar los mensajes.",
    "USER_UNKNOWN": "uSendit no reconoce este nombre de usuario y contraseña.",
    "USER_NOT_ALLOWED": "Esta cuenta no tiene permiso para hacer eso.",
    "USER_PENDING_SMS_CONFIRMATION_CODE": (
        "La cuenta aún no está confirmada: introduzca el código que uSendit envió por SMS."
    ),
    "PENDING_SMS_CONFIRMATION_CODE": (
        "La cuenta aún no está confirmada: introduzca el código que uSendit envió por SMS."
    ),
    "INSUFFICIENT_CREDITS": "La cuenta no tiene créditos suficientes para este envío.",
    "SMS_LIST_EMPTY": "No había mensajes que enviar.",
    "SMS_LIST_EXCEEDS_MAX_LENGTH": "Demasiados mensajes en una sola petición.",
    "SMS_LIST_ALL_RECIPIENTS_INVALID": "Se han rechazado todos los destinatarios.",
    "INTERNAL_CONFIGURATION_ERROR": "uSendit tiene un error interno de configuración.",
    "PROCESS_SCHEDULE_LIST_ERROR": "uSendit ha fallado al procesar la lista de mensajes.",
    "SCHEDULED": "Programado.",
    "MSISDN_EMPTY": "El número de teléfono está vacío.",
    "MSISDN_EXCEEDS_MAX_LENGTH": "El número de teléfono es demasiado largo.",
    "MSISDN_INVALID": "El número de teléfono no es válido.",
    "MSISDN_MOBILE_OPERATOR_UNKNOWN": "No se conoce ningún operador móvil para este número.",
    "MSISDN_INVALID_ROUTE": "uSendit no puede entregar al país o a la red de este número.",
    "MESSAGE_TEXT_EMPTY": "El texto del mensaje está vacío.",
    "MESSAGE_TEXT_EXCEEDS_MAX_LENGTH": "El texto del mensaje es demasiado largo.",
    "SENDER_EXCEEDS_MAX_LENGTH": (
        "El remitente es demasiado largo (como máximo 11 letras o 16 dígitos)."
    ),
    "SENDER_NOT_ALLOWED": "Este nombre de remitente no está permitido.",
    "PRIORITY_INVALID": "La prioridad no es válida.",
    "EXPIRATION_DATETIME_INVALID": "La hora de caducidad no es válida.",
    "GENERIC_ERROR": "uSendit ha informado de un error inesperado.",
    "OPERATION_INCOMPATIBLE_WITH_BILLING_TYPE": (
        "El tipo de facturación de esta cuenta no tiene saldo de créditos que mostrar."
    ),
    "NO_CREDIT_PACKS_AVAILABLE": "Ahora mismo no hay paquetes de créditos a la venta.",
    "INVALID_PACK_ID": "No existe ningún paquete de créditos con ese número.",
    "ERROR_GENERATING_PAYMENT_REFERENCE": "uSendit no ha podido crear la referencia de pago.",
    "CALLER_UNKNOWN": "uSendit no reconoce esta aplicación (caller).",
    "MISSING_INVOICE_INFO": "La cuenta aún no tiene datos de facturación.",
    "PROMOTIONAL_CAMPAIGN_NOT_EXISTS": "Ese código promocional no existe.",
    "PROMOTIONAL_CAMPAIGN_NOT_ACTIVE": "Ese código promocional no está activo.",
    "PROMOTIONAL_CAMPAIGN_EXCEEDED_MAX_CODE_REDEMPTION": (
        "Ese código promocional ya se ha usado el número máximo de veces."
    ),
    "PROMOTIONAL_CAMPAIGN_INVALID_PACK": "Ese código promocional no se aplica a este paquete.",
    "ERROR": "No se ha podido contar el texto.",
    "GSM7": "Alfabeto GSM de 7 bits.",
    "UCS2": "UCS-2 (Unicode).",
    "EMPTY_CONFIRMATION_CODE": "El código de confirmación está vacío.",
    "INVALID_CONFIRMATION_CODE": "El código de confirmación es incorrecto.",
    "ACCOUNT_ALREADY_CONFIRMED": "La cuenta ya está confirmada.",
    "NO_MORE_RETRIES_ALLOWED": "No se puede volver a enviar el código: demasiados intentos.",
    "ERROR_RESENDING_SMS_CONFIRMATION": "uSendit no ha podido volver a enviar el código.",
    "USERNAME_EMPTY": "El nombre de usuario está vacío.",
    "USERNAME_NOT_ALLOWED": "Ese nombre de usuario no está permitido.",
    "USERNAME_EXCEEDS_MAX_LENGTH": "El nombre de usuario es demasiado largo.",
    "PASSWORD_EXCEEDS_MAX_LENGTH": "La contraseña es demasiado larga.",
    "PASSWORD_INVALID": "La contraseña no cumple las reglas de uSendit.",
    "EMAIL_EXCEEDS_MAX_LENGTH": "La dirección de correo electrónico es demasiado larga.",
    "EMAIL_INVALID": "La dirección de correo electrónico no es válida.",
    "MSISDN_ALREADY_IN_USE": "Ese número de teléfono ya tiene una cuenta.",
    "ACCOUNT_NAME_EMPTY": "El nombre de la cuenta está vacío.",
    "ACCOUNT_NAME_EXCEEDS_MAX_LENGTH": "El nombre de la cuenta es demasiado largo.",
    "ACCOUNT_NAME_NOT_ALLOWED": "Ese nombre de cuenta no está permitido.",
    "ERROR_SENDING_SMS_CONFIRMATION": "uSendit no ha podido enviar el SMS de confirmación.",
    "ACCOUNT_VALIDATION_ERROR": "uSendit no ha podido validar los datos de la cuenta.",
    "USERNAME_OR_EMAIL_ALREADY_IN_USE": (
        "Ese nombre de usuario o dirección de correo electrónico ya está en uso."
    ),
    "ACCOUNT_INFO_EMPTY": "Faltan los datos de la cuenta.",
    "INVOICE_INFO_EMPTY": "Faltan los datos de facturación.",
    "INVOICE_INFO_INVALID": "Los datos de facturación no son válidos.",
    "PT": "Portugal.",
    "OTHER": "Otro.",
    "SMS_MARKETING": "Marketing por SMS.",
    "EMAIL_MARKETING": "Marketing por correo electrónico.",
    "FACEBOOK": "Facebook.",
    "LINKED_IN": "LinkedIn.",
    "RECOMMENDATION": "Una recomendación.",
    "COMMERCIAL_AGENT": "Un agente comercial.",
    "INTERNET_SEARCH": "Una búsqueda en internet.",
    "TV_SPOT": "Un anuncio de televisión.",
    "WEB_SITE_SPOT": "Un anuncio en una web.",
}
