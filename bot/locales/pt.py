"""Portuguese messages."""

from __future__ import annotations

from bot.locales import Catalog, Plural

MESSAGES: Catalog = {
    # comandos: os nomes que se escrevem, e os seus argumentos (``/contar <texto>``)
    "command.start": "start",
    "command.help": "ajuda",
    "command.balance": "saldo",
    "command.count": "contar",
    "command.status": "estado",
    "command.history": "historico",
    "command.packs": "pacotes",
    "command.lang": "idioma",
    "command.timezone": "fuso",
    "command.cancel": "cancelar",
    "command.send": "enviar",
    "command.buy": "comprar",
    "command.signup": "registo",
    "command.confirm": "confirmar",
    "command.resend": "reenviar",
    "command.login": "associar",
    "command.logout": "desassociar",
    "args.count": "<texto>",
    "args.status": "[id]",
    "args.history": "[minhas]",
    "args.lang": "en|pt|es",
    "args.timezone": "[fuso]",
    "args.send": "[números texto]",
    "args.buy": "<pacote> [código]",
    "args.confirm": "<código>",
    "history.mine": "minhas",
    # unidades, para uma linha com mais de uma contagem
    "unit.recipients": Plural(one="{count} destinatário", other="{count} destinatários"),
    "unit.segments": Plural(one="{count} segmento", other="{count} segmentos"),
    "unit.credits": Plural(one="{count} crédito", other="{count} créditos"),
    # forms (Slack modals)
    "form.cancel": "Cancelar",
    "form.send.title": "Enviar um SMS",
    "form.send.submit": "Pré-visualizar",
    "form.recipients": "Destinatários",
    "form.recipients_hint": (
        "Espaços, vírgulas ou um por linha. Deixe vazio para partilhar um ficheiro CSV ou TXT "
        "na conversa."
    ),
    "form.text": "Texto",
    "form.sender": "Remetente",
    "form.sender_hint": "Até 11 letras ou 16 algarismos.",
    "form.when": "Quando",
    "form.when_placeholder": "agora",
    "form.when_hint": (
        "Vazio para agora, ou p. ex. 2026-12-01 09:30 (o seu fuso horário, veja {command})."
    ),
    "form.window": "Janela de entrega",
    "form.window_placeholder": "a qualquer hora",
    "form.window_hint": "Vazio para qualquer hora, ou p. ex. 09:00-20:00, dias úteis, ou os "
    "dois (o seu fuso horário, veja {command}).",
    "send.ask_window": "Entregar só a certas horas? Escreva uma janela diária em {zone}, p. ex. "
    '09:00-20:00, e/ou "dias úteis"; ou a qualquer hora.',
    "button.any_time": "A qualquer hora",
    "window.unreadable": 'Não consegui ler essa janela: "{text}". Escreva p. ex. '
    "09:00-20:00, dias úteis, ou os dois (9h-20h dias úteis).",
    "window.backwards": "Uma janela tem de acabar depois de começar, no mesmo dia "
    "({begin}–{end}): a entrega não pode passar da meia-noite.",
    "window.provider_wraps": "Na hora da uSendit ({zone}) essa janela é {begin}–{end}, que "
    "passa da meia-noite lá. Escolha horas que acabem antes da meia-noite em {zone}.",
    "window.working_days": "dias úteis",
    "window.on_working_days": "em dias úteis",
    "send.preview_window": "Entregue só {window}",
    "send.preview_window_opens": "A janela está fechada quando sai: a entrega começa "
    "{when} ({zone}).",
    "form.login.title": "Ligar conta uSendit",
    "form.login.submit": "Ligar",
    "form.username": "Utilizador uSendit",
    "form.password": "Palavra-passe",
    "form.password_hint": "Verificada no uSendit e guardada cifrada.",
    "form.error.recipients": "Escreva pelo menos um número.",
    "form.error.text": "Escreva a mensagem.",
    "form.error.username": "Uma palavra, como no uSendit.",
    "form.error.password": "Escreva a palavra-passe.",
    "form.error.title": "Corrija o formulário, por favor:",
    "form.error.recipients_invalid": "Não são números que recebam SMS: {numbers}.",
    "form.error.unsendable": "Tem um carácter que um SMS não transporta ({chars}).",
    # adaptadores
    "adapter.file_too_large": "{name} tem mais de {limit} MB, por isso não o li. Envie um ficheiro "
    "mais pequeno (um CSV ou texto com um número por linha).",
    "adapter.file_unreadable": "Não consegui descarregar {name}. Envie-o de novo, por favor.",
    "adapter.not_deleted": "Não consegui apagar a sua mensagem com a palavra-passe. Apague-a "
    "e mude já a palavra-passe no uSendit.",
    "adapter.delete_yourself": "Não posso apagar a sua mensagem aqui: apague-a o senhor "
    "(passe o cursor, ⋮, Eliminar mensagem).",
    "adapter.not_a_member": "Não estou nesta conversa, por isso não consigo ler uma resposta "
    "escrita aqui. Adicione-me ao canal ({invite} e o meu nome) e responda de novo, ou "
    "recomece numa conversa privada comigo.",
    "adapter.form_failed": "Não foi possível abrir o formulário. Tente de novo {command}.",
    "adapter.private_only": "Só posso mostrar isso numa conversa privada: abra uma comigo e "
    "tente de novo.",
    "adapter.media_recipients": "Não consigo ler números daí. Escreva-os, ou envie um ficheiro "
    "CSV ou TXT com um número por linha.",
    "adapter.media_text": "Aqui só consigo ler texto: escreva a sua resposta, por favor.",
    "adapter.keyboard.balance": "Saldo",
    "adapter.keyboard.send": "Enviar",
    "adapter.keyboard.status": "Estado",
    # roles
    "roles.unknown_user": (
        "Lamento, ainda não tem permissão para usar este bot. "
        "Peça a um administrador que adicione o seu id: {id}"
    ),
    "roles.denied": "Lamento, isso requer o papel de {role}.",
    "role.NONE": "nenhum",
    "role.VIEWER": "leitor",
    "role.SENDER": "remetente",
    "role.ADMIN": "administrador",
    # errors
    "error.campaign": "Não é possível fazer isso: {detail}",
    "error.unsendable": "{what} tem um carácter que um SMS não pode levar{chars}; "
    "retire-o e envie de novo.",
    "error.internal": (
        "Ocorreu um erro do nosso lado; tente novamente, por favor. "
        "/estado mostra o que uma campanha enviou."
    ),
    "error.unknown_command": "Não conheço {name}. Escreva /ajuda para ver os comandos.",
    "error.store_before": "A minha base de dados não está a responder, por isso não fiz nada "
    "com isso. Tente de novo daqui a um minuto.",
    "error.store": "A minha base de dados deixou de responder a meio, por isso não consegui "
    "terminar. Quando voltar, /estado mostra o que uma campanha fez.",
    "error.unknown_command_near": "Não conheço {name}. Queria dizer {near}? Escreva /ajuda "
    "para ver os comandos.",
    "error.stale_button": "Esse botão já não é válido.",
    "error.no_wizard": "Não estou à espera de uma resposta. Escreva /ajuda para ver os comandos.",
    "wizard.expired": "A conversa /{name} expirou após uma hora sem respostas. "
    "Comece de novo com /{name}.",
    "provider.down": (
        "Não é possível contactar a uSendit neste momento. Nada foi cobrado; tente mais tarde."
    ),
    "provider.error_page": "A uSendit respondeu com uma página de erro (HTTP {status}) em vez "
    "de uma resposta. Pode tê-lo feito na mesma; verifique daqui a pouco antes de repetir.",
    "provider.unreadable": "Não foi possível ler a resposta da uSendit. Pode tê-lo feito na "
    "mesma; verifique daqui a pouco antes de repetir.",
    "provider.fault": "A uSendit comunicou um erro seu ao fazer isso. Tente mais tarde; "
    "/estado mostra o que uma campanha fez.",
    "provider.unknown": (
        "A uSendit não respondeu a tempo. Pode ainda estar a tratar do pedido; "
        "verifique daqui a pouco antes de tentar novamente."
    ),
    "account.none": "Não há nenhuma conta uSendit associada. Um administrador pode associar "
    "uma com /associar numa conversa privada, ou criar uma com /registo.",
    "account.private_only": (
        "Por segurança, só aceito palavras-passe numa conversa privada comigo."
    ),
    # help
    "help.intro": "Sou o seu balcão de SMS em massa na uSendit. Comandos:",
    "help.sandbox": (
        "(A funcionar no sandbox local da uSendit: sem SMS reais, sem dinheiro real.)"
    ),
    "help.start": "o que faço",
    "help.help": "esta lista",
    "help.balance": "créditos disponíveis",
    "help.count": "contar os caracteres e segmentos de um SMS",
    "help.status": "estado de uma campanha (a mais recente, sem id)",
    "help.history": "as últimas campanhas desta conversa (minhas: as suas, de qualquer conversa)",
    "help.packs": "pacotes de créditos à venda",
    "help.lang": "língua das respostas",
    "help.timezone": "o seu fuso horário para agendamentos, p. ex. Europe/Lisbon",
    "help.cancel": "sair da conversa atual",
    "help.send": "enviar uma campanha de SMS (ou /enviar <números> <texto>)",
    "help.buy": "dados de pagamento de um pacote de créditos",
    "help.signup": "criar uma conta uSendit",
    "help.confirm": "confirmar a conta com o código recebido por SMS",
    "help.resend": "enviar novamente o código de confirmação",
    "help.login": "associar uma conta uSendit (só em conversa privada)",
    "help.logout": "desassociar a sua conta uSendit",
    # buttons
    "button.balance": "Saldo",
    "button.use_gsm7": "Usar sem acentos",
    "button.keep_text": "Manter como está",
    "button.default_sender": "Remetente predefinido",
    "button.now": "Enviar agora",
    "button.confirm": "Confirmar",
    "button.edit": "Editar",
    "button.cancel": "Cancelar",
    "button.resend": "Reenviar a parte não enviada",
    "button.resend_sure": "Sim, reenviar",
    "button.keep_waiting": "Não, esperar",
    "button.continue": "Continuar o envio",
    "button.create_account": "Criar conta",
    # balance
    "balance.ok": Plural(
        by="credits",
        one="Resta {credits} crédito em {account}.",
        other="Restam {credits} créditos em {account}.",
    ),
    # count
    "count.usage": "Escreva o texto a seguir ao comando: /contar Olá!",
    "count.encoding": "Codificação: {encoding}",
    "count.units.GSM7": "Caracteres: {units} (septetos)",
    "count.units.UCS2": "Caracteres: {units} (unidades UTF-16)",
    "count.segments": "Segmentos: {segments} (até {per} caracteres cada)",
    "count.remaining": "Disponíveis no último segmento: {remaining}",
    "count.forced": "Obrigado a UCS-2 por: {chars}",
    "count.too_long": "Demasiado longo: a uSendit aceita no máximo {max} segmentos.",
    "count.provider_agrees": "A uSendit conta o mesmo.",
    "count.provider_differs": Plural(
        by="segments",
        one="A uSendit conta de outra forma: {segments} segmento em {encoding}.",
        other="A uSendit conta de outra forma: {segments} segmentos em {encoding}.",
    ),
    "count.provider_unavailable": "(A contagem da própria uSendit não está disponível agora.)",
    "count.alternative": Plural(
        by="segments",
        one='Sem acentos fica em GSM-7, {segments} segmento: "{text}"',
        other='Sem acentos fica em GSM-7, {segments} segmentos: "{text}"',
    ),
    # lang, timezone, cancel
    "lang.usage": "Escolha uma língua: /idioma en, /idioma pt ou /idioma es (atual: {current}).",
    "lang.ok": "Passo a responder em português.",
    "timezone.current": "O seu fuso horário é {zone}. Altere-o com /fuso Europe/Lisbon.",
    "timezone.unknown": "Não conheço o fuso horário {zone}. Experimente p. ex. Europe/Lisbon.",
    "timezone.ok": "Os agendamentos passam a ser lidos em {zone}.",
    "cancel.nothing": "Não há nada para cancelar.",
    "cancel.ok": "Cancelado.",
    # send wizard
    "send.ask_recipients": "Para quem? Escreva os números (espaços, vírgulas ou um por linha) "
    "ou anexe um ficheiro CSV/TXT. /cancelar para parar.",
    "send.one_line_usage": "Utilize: /enviar +351912345678,+351913333333 O seu texto",
    "send.no_file_now": "Não estou à espera de um ficheiro agora.",
    "send.ask_text": "Agora o texto da mensagem.",
    "send.text_too_long": "Esse texto precisa de {segments} segmentos; a uSendit aceita no "
    "máximo {max}. Encurte-o, por favor.",
    "send.ucs2_offer": Plural(
        by="segments",
        one=Plural(
            by="plain_segments",
            one="Os acentos tornam este texto UCS-2: {segments} segmento por número. "
            'Sem acentos fica em GSM-7, {plain_segments} segmento: "{plain}"',
            other="Os acentos tornam este texto UCS-2: {segments} segmento por número. "
            'Sem acentos fica em GSM-7, {plain_segments} segmentos: "{plain}"',
        ),
        other=Plural(
            by="plain_segments",
            one="Os acentos tornam este texto UCS-2: {segments} segmentos por número. "
            'Sem acentos fica em GSM-7, {plain_segments} segmento: "{plain}"',
            other="Os acentos tornam este texto UCS-2: {segments} segmentos por número. "
            'Sem acentos fica em GSM-7, {plain_segments} segmentos: "{plain}"',
        ),
    ),
    "send.ask_sender": "Nome do remetente (até 11 letras ou 16 dígitos), ou o predefinido.",
    "send.ask_when": "Quando? Enviar agora, ou uma data e hora em {zone}, p. ex. {example}.",
    "send.when_unreadable": (
        "Não consegui ler essa hora. Utilize p. ex. 2026-12-01 09:30 ({zone})."
    ),
    "send.when_skipped": "Essa hora não existe em {zone}: os relógios saltam-na nesse dia. "
    "Escolha outra.",
    "send.when_past": "Essa hora já passou. Escolha um momento no futuro.",
    "send.preview_reminder": "Utilize os botões abaixo, por favor:",
    "send.preview_title": "Campanha n.º {id}, pronta a enviar:",
    "send.preview_facts": Plural(
        by="segments",
        one="Destinatários: {recipients}\nCodificação: {encoding}, {segments} segmento por "
        "número\nCréditos necessários: {needed} (saldo: {balance})\n"
        "Remetente: {sender}\nQuando: {when}",
        other="Destinatários: {recipients}\nCodificação: {encoding}, {segments} segmentos por "
        "número\nCréditos necessários: {needed} (saldo: {balance})\n"
        "Remetente: {sender}\nQuando: {when}",
    ),
    "send.preview_short": "Atenção: o saldo não cobre este envio.",
    "send.now": "agora",
    "send.default_sender": "predefinido",
    "send.already_confirmed": "A campanha n.º {id} já tinha sido confirmada ou cancelada; "
    "não foi feito mais nada.",
    "send.preview_outdated": "A campanha n.º {id} foi alterada depois dessa "
    "pré-visualização; confirme a mais recente.",
    "send.plain_offer": Plural(
        by="segments",
        one="Sem acentos seria GSM-7, {segments} segmento por número.",
        other="Sem acentos seria GSM-7, {segments} segmentos por número.",
    ),
    "home.balance": Plural(
        by="credits",
        one="*{credits}* crédito em {account}",
        other="*{credits}* créditos em {account}",
    ),
    "home.campaigns": "As suas últimas campanhas",
    "home.recipients": "Destinatários: {count}",
    "home.outcome": "Aceites: {accepted} · recusados: {rejected}",
    "send.ask_file": "Agora partilhe aqui o ficheiro CSV ou TXT com os números (ou escreva-os).",
    "send.resend_sure": Plural(
        one="A uSendit não tem rasto de {count} parte ({recipients}, {credits}) há {waited}, "
        "por isso muito provavelmente nunca foi enviada. Se afinal a uSendit ainda a "
        "estiver a processar, reenviar envia-a duas vezes. Reenviar?",
        other="A uSendit não tem rasto de {count} partes ({recipients}, {credits}) há "
        "{waited}, por isso muito provavelmente nunca foram enviadas. Se afinal a "
        "uSendit ainda as estiver a processar, reenviar envia-as duas vezes. Reenviar?",
    ),
    "send.resend_kept": "Nada foi reenviado. /estado mostra a campanha.",
    "send.cancelled": "Campanha n.º {id} cancelada. Nada foi enviado.",
    "send.edit": Plural(
        one="A editar: {count} destinatário mantido. Envie o novo texto (era: {text})",
        other="A editar: {count} destinatários mantidos. Envie o novo texto (era: {text})",
    ),
    "send.sending": "Campanha n.º {id}: a enviar…",
    "send.progress": Plural(
        by="total",
        one="Campanha n.º {id}: {done}/{total} parte concluída, aceites: {accepted}, "
        "rejeitadas: {rejected}…",
        other="Campanha n.º {id}: {done}/{total} partes concluídas, aceites: {accepted}, "
        "rejeitadas: {rejected}…",
    ),
    "send.stopped": "Campanha n.º {id}: interrompida.",
    "send.insufficient": "Créditos insuficientes: este envio precisa de {needed} e a conta tem "
    "{available}. Compre créditos com /pacotes e /comprar e carregue em Continuar.",
    # recipients
    "recipients.summary": Plural(
        one="{count} destinatário de {source}.",
        other="{count} destinatários de {source}.",
    ),
    "recipients.rejected.INVALID": "Linha {line}: {raw} não é um número de telefone válido.",
    "recipients.rejected.NOT_MOBILE": "Linha {line}: {raw} não é um número de telemóvel.",
    "recipients.rejected.DUPLICATE": "Linha {line}: {raw} repete a linha {first}.",
    "recipients.more": Plural(
        one="…e mais {count} linha deixada de fora.",
        other="…e mais {count} linhas deixadas de fora.",
    ),
    "recipients.none": "Nenhum número válido: envie-os novamente.",
    "recipients.error.FILE_TOO_LARGE": (
        "Esse ficheiro é demasiado grande (o limite é {limit} bytes)."
    ),
    "recipients.error.TOO_MANY_ROWS": "Esse ficheiro tem demasiadas linhas (o limite é {limit}).",
    "recipients.error.NOT_TEXT": "Esse ficheiro não é um ficheiro CSV nem de texto.",
    "recipients.error.NO_PHONE_COLUMN": (
        "Não encontrei uma coluna de números de telefone nesse ficheiro."
    ),
    "recipients.error.EMPTY": "Esse ficheiro está vazio.",
    # status, history
    "status.title": "Campanha n.º {id}: {state}",
    "status.recipients": "{recipients} × {segments} = {credits}",
    "status.scheduled": "Agendada para {when} ({zone})",
    "status.scheduled_past": "Agendada para {when} ({zone}): a hora já chegou",
    "schedule.report": (
        "⏰ Campanha agendada n.º {id}: chegou a hora ({when}, {zone}). O que a uSendit diz agora:"
    ),
    "status.chunks": "Partes aceites: {done}/{total}",
    "status.counts": "Aceites: {accepted}, rejeitadas: {rejected}, créditos gastos: {credits}",
    "status.not_sent": Plural(
        one="{count} parte não foi enviada; pode ser reenviada.",
        other="{count} partes não foram enviadas; podem ser reenviadas.",
    ),
    "status.unknown": Plural(
        one="{count} parte está a ser verificada junto da uSendit.",
        other="{count} partes estão a ser verificadas junto da uSendit.",
    ),
    "status.duplicate": Plural(
        one="Atenção: {count} parte foi enviada duas vezes pela uSendit.",
        other="Atenção: {count} partes foram enviadas duas vezes pela uSendit.",
    ),
    "status.skipped": Plural(
        one="{count} parte ainda não foi enviada (veja o motivo); Continuar envia-a.",
        other="{count} partes ainda não foram enviadas (veja o motivo); Continuar envia-as.",
    ),
    "status.safe_after": Plural(
        one="Se a uSendit continuar sem rasto dela às {time}, poderá ser reenviada.",
        other="Se a uSendit continuar sem rasto delas às {time}, poderão ser reenviadas.",
    ),
    "status.rejected_chunks": Plural(
        one="{count} parte foi recusada pela uSendit.",
        other="{count} partes foram recusadas pela uSendit.",
    ),
    "status.reason": "Motivo: {reason}",
    "status.none": "Ainda não há campanhas aqui. Comece uma com /enviar.",
    "status.not_found": "Não há nenhuma campanha {id} nesta conversa.",
    "status.usage": "Utilize /estado ou /estado <id da campanha>.",
    "history.title": "Últimas campanhas:",
    "history.line": Plural(
        one="#{id} {when} {state} — {count} destinatário — {text}",
        other="#{id} {when} {state} — {count} destinatários — {text}",
    ),
    "state.DRAFT": "rascunho",
    "state.CONFIRMED": "confirmada",
    "state.CANCELLED": "cancelada",
    "state.SENDING": "a enviar",
    "state.STOPPED": "parada",
    "state.DONE": "concluída",
    "state.PARTIAL": "enviada em parte",
    "state.FAILED": "falhada",
    # packs, buy
    "packs.title": "Pacotes de créditos para {account}:",
    "packs.line": Plural(
        by="credits",
        one="{id}. {description}: {credits} crédito, {price} + {tax}% IVA = {total}",
        other="{id}. {description}: {credits} créditos, {price} + {tax}% IVA = {total}",
    ),
    "packs.hint": "Compre um com /comprar <número> [código promocional].",
    "buy.usage": "Utilize: /comprar <número do pacote> [código promocional]. Veja /pacotes.",
    "buy.ok": "Pacote {pack}: pague {amount} por Multibanco (entidade {entity}, referência "
    "{reference}) ou por cartão: {link}. Os créditos chegam após o pagamento.",
    # signup, confirm, login
    "signup.intro": "Vamos criar uma conta uSendit. /cancelar para parar a qualquer momento.",
    "signup.ask.account_name": "Nome da empresa ou da conta?",
    "signup.ask.username": "Nome de utilizador (letras, dígitos, . _ -)?",
    "signup.ask.password": "Palavra-passe (6 a 50 caracteres)? Apago a sua mensagem de imediato.",
    "signup.ask.password_hidden": (
        "Palavra-passe (6 a 50 caracteres)? Não aparece enquanto escreve."
    ),
    "signup.ask.email": "Endereço de email?",
    "signup.ask.invoice_name": "Nome para a fatura?",
    "signup.ask.address": "Morada de faturação?",
    "signup.ask.city": "Localidade?",
    "signup.bad.account_name": "O nome deve ter de 1 a 100 caracteres.",
    "signup.bad.username": "Utilize de 1 a 50 letras, dígitos, pontos, hífenes ou sublinhados.",
    "signup.bad.password": "A palavra-passe deve ter de 6 a 50 caracteres.",
    "signup.bad.email": "Isso não é um endereço de email.",
    "signup.bad.required": "Responda com 1 a 100 caracteres, por favor.",
    "signup.ask.country": "País da fatura, pelo código de duas letras (PT, ES, FR, BR…)?",
    "signup.bad.country": "Escreva o país pelo código de duas letras, p. ex. PT, ES, FR ou BR.",
    "signup.ask.msisdn": "Número de telemóvel para o SMS de confirmação?",
    "signup.bad.msisdn": (
        "Isso não é um número de telemóvel de {country}. Escreva-o com o indicativo, p. "
        "ex. +351912345678."
    ),
    "signup.ask.tax_id": "Número de contribuinte (p. ex. {example})?",
    "signup.ask.tax_id_free": "Número fiscal, como nas suas faturas em {country}?",
    "signup.bad.tax_id": "Isso não é um número fiscal de {country}; tem a forma {example}.",
    "signup.bad.tax_id_free": "Escreva o número fiscal com 4 a 20 letras e algarismos.",
    "signup.ask.zip_code": "Código postal (p. ex. {example})?",
    "signup.ask.zip_code_free": "Código postal?",
    "signup.bad.zip_code": "Isso não é um código postal de {country}; tem a forma {example}.",
    "signup.bad.zip_code_free": (
        "Escreva o código postal com 2 a 12 letras, algarismos, espaços ou hífenes."
    ),
    "signup.review": "Criar esta conta?\nNome: {account_name}\nUtilizador: {username}\n"
    "Email: {email}\nTelemóvel: {msisdn}\nFatura: {invoice_name}, n.º fiscal {tax_id}, {address}, "
    "{zip_code} {city}, {country}",
    "signup.created": "Conta {username} criada. A uSendit enviou um código por SMS para "
    "{msisdn}: envie /confirmar <código>.",
    "confirm.usage": "Utilize: /confirmar <código do SMS>",
    "confirm.ok": "Conta {username} confirmada. Consulte /saldo.",
    "login.ask_username": "Nome de utilizador uSendit?",
    "login.ask_password": "Palavra-passe? Apago a sua mensagem de imediato.",
    "login.ask_password_hidden": "Palavra-passe? Não aparece enquanto escreve.",
    "login.wrong": (
        "A uSendit não reconhece esse nome de utilizador e palavra-passe. Nada foi guardado."
    ),
    "login.ok": Plural(
        by="credits",
        one="Associado a {username} ({credits} crédito). A palavra-passe fica guardada cifrada.",
        other="Associado a {username} ({credits} créditos). A palavra-passe fica guardada cifrada.",
    ),
    "login.pending": "Associado a {username}, conta ainda não confirmada: /confirmar <código>.",
    "login.change_password": "Escreveu uma palavra-passe num grupo: altere-a já na uSendit.",
    "logout.ok": "Desassociado. A palavra-passe da sua conta deixou de ser usada aqui.",
    "logout.none": "Não há nenhuma conta associada a si.",
    # modelos, listas guardadas, a lista de exclusão
    "command.template": "modelo",
    "command.list": "lista",
    "command.optout": "exclusoes",
    "args.template": "[guardar <nome> <texto> | mostrar <nome> | apagar <nome>]",
    "args.list": "[guardar <nome> [#id] | mostrar <nome> | apagar <nome>]",
    "args.optout": "[adicionar|remover <números>]",
    "verb.save": "guardar",
    "verb.list": "listar",
    "verb.show": "mostrar",
    "verb.delete": "apagar",
    "verb.add": "adicionar",
    "verb.remove": "remover",
    "help.template": "os textos de SMS guardados nesta conversa, para enviar pelo nome",
    "help.list": "as listas de destinatários guardadas nesta conversa (lista:<nome> como "
    "destinatários)",
    "help.optout": "números que nunca recebem SMS da sua conta",
    "saved.bad_name": "Um nome tem de 1 a {max} letras ou algarismos (e - _ .), sem espaços.",
    "template.usage": "Utilize: /modelo guardar <nome> <texto>, /modelo mostrar <nome>, "
    "/modelo apagar <nome>, ou /modelo para os ver todos.",
    "template.saved": Plural(
        by="segments",
        one="Modelo {name} guardado ({segments} segmento). Em /enviar, carregue no seu botão "
        "ou escreva modelo:{name}.",
        other="Modelo {name} guardado ({segments} segmentos). Em /enviar, carregue no seu "
        "botão ou escreva modelo:{name}.",
    ),
    "template.replaced": Plural(
        by="segments",
        one="Modelo {name} substituído pelo novo texto ({segments} segmento).",
        other="Modelo {name} substituído pelo novo texto ({segments} segmentos).",
    ),
    "template.deleted": "Modelo {name} apagado.",
    "template.unknown": "Não há nenhum modelo {name} nesta conversa. /modelo mostra-os.",
    "template.none": "Ainda não há modelos nesta conversa. Guarde um com "
    "/modelo guardar <nome> <texto>.",
    "template.title": Plural(
        one="{count} modelo nesta conversa:", other="{count} modelos nesta conversa:"
    ),
    "template.show": Plural(
        by="segments",
        one="Modelo {name} ({segments} segmento):\n{text}",
        other="Modelo {name} ({segments} segmentos):\n{text}",
    ),
    "list.usage": "Utilize: /lista guardar <nome> [#campanha], /lista mostrar <nome>, "
    "/lista apagar <nome>, ou /lista para as ver todas.",
    "list.saved": Plural(
        one="Lista {name} guardada: {count} número, da campanha #{id}. Em /enviar, escreva "
        "{use} ou carregue no seu botão.",
        other="Lista {name} guardada: {count} números, da campanha #{id}. Em /enviar, escreva "
        "{use} ou carregue no seu botão.",
    ),
    "list.replaced": Plural(
        one="Lista {name} substituída: agora {count} número, da campanha #{id}. Em /enviar, "
        "escreva {use} ou carregue no seu botão.",
        other="Lista {name} substituída: agora {count} números, da campanha #{id}. Em "
        "/enviar, escreva {use} ou carregue no seu botão.",
    ),
    "list.deleted": "Lista {name} apagada.",
    "list.unknown": "Não há nenhuma lista {name} guardada nesta conversa. /lista mostra-as.",
    "list.none": "Ainda não há listas guardadas nesta conversa. Depois de um /enviar, guarde "
    "os números com /lista guardar <nome>.",
    "list.no_upload": "Ainda não deu números nesta conversa: comece um /enviar com eles "
    "(escritos ou num ficheiro) e depois /lista guardar <nome>.",
    "list.title": Plural(
        one="{count} lista guardada nesta conversa:",
        other="{count} listas guardadas nesta conversa:",
    ),
    "list.line": Plural(
        one="• {name}: {count} número, último uso: {used}",
        other="• {name}: {count} números, último uso: {used}",
    ),
    "list.show": Plural(
        one="Lista {name}: {count} número, guardada em {saved}, último uso: {used}.",
        other="Lista {name}: {count} números, guardada em {saved}, último uso: {used}.",
    ),
    "list.never_used": "nunca",
    "list.empty": "A lista {name} não tem números.",
    "optout.usage": "Utilize: /exclusoes adicionar <números> (ou anexe um ficheiro CSV/TXT), "
    "/exclusoes remover <números>, ou /exclusoes para ver quantos há.",
    "optout.ask": "Escreva os números a pôr na lista de exclusão, ou partilhe um ficheiro "
    "CSV/TXT com eles. /cancelar para parar.",
    "optout.count": Plural(
        one="{count} número está na lista de exclusão de {account}: nunca recebe SMS desta conta.",
        other="{count} números estão na lista de exclusão de {account}: nunca recebem SMS "
        "desta conta.",
    ),
    "optout.read": Plural(
        one="{count} número lido de {source}.", other="{count} números lidos de {source}."
    ),
    "optout.none_read": "Nenhum número válido: envie-os novamente.",
    "optout.added": Plural(
        one="{count} número posto na lista de exclusão.",
        other="{count} números postos na lista de exclusão.",
    ),
    "optout.already": Plural(one="{count} já lá estava.", other="{count} já lá estavam."),
    "optout.removed": Plural(
        one="{count} número retirado da lista de exclusão.",
        other="{count} números retirados da lista de exclusão.",
    ),
    "optout.not_there": Plural(one="{count} não estava nela.", other="{count} não estavam nela."),
    "optout.total": Plural(
        one="A lista de {account} tem agora {count} número.",
        other="A lista de {account} tem agora {count} números.",
    ),
    "send.opted_out": Plural(
        one="{count} deles está na lista de exclusão e fica de fora.",
        other="{count} deles estão na lista de exclusão e ficam de fora.",
    ),
    "send.everyone_opted_out": Plural(
        one="Esse número está na lista de exclusão: não há a quem enviar.",
        other="Os {count} números estão todos na lista de exclusão: não há a quem enviar.",
    ),
    "send.preview_opted_out": Plural(
        one="De fora: {count} número da lista de exclusão.",
        other="De fora: {count} números da lista de exclusão.",
    ),
    "status.excluded": Plural(
        one="Excluído: {count} número da lista de exclusão (nunca enviado, nunca cobrado).",
        other="Excluídos: {count} números da lista de exclusão (nunca enviados, nunca cobrados).",
    ),
    # credit pushes: a low-credit alert, a payment received
    "command.alert": "alerta",
    "args.alert": "[créditos|desligar]",
    "help.alert": "um alerta aqui quando os créditos da conta estão a acabar",
    "alert.off_word": "desligar",
    "alert.none": "Não há alerta de créditos baixos para {account} nesta conversa. Crie um: "
    "/alerta 500",
    "alert.current": Plural(
        one="Esta conversa é avisada quando {account} tiver menos de {count} crédito.",
        other="Esta conversa é avisada quando {account} tiver menos de {count} créditos.",
    ),
    "alert.set": Plural(
        one="Feito: esta conversa será avisada quando {account} tiver menos de {count} crédito.",
        other="Feito: esta conversa será avisada quando {account} tiver menos de {count} créditos.",
    ),
    "alert.removed": "O alerta de créditos baixos de {account} foi desligado nesta conversa.",
    "alert.usage": "Use: /alerta <créditos> (por exemplo /alerta 500), ou /alerta desligar.",
    "alert.low": "Créditos a acabar: {account} tem {credits}, abaixo do alerta de {threshold}. "
    "/pacotes mostra o que pode comprar.",
    "alert.paid": Plural(
        one="Pagamento recebido: {count} crédito adicionado, {account} tem agora {credits}.",
        other="Pagamento recebido: {count} créditos adicionados, {account} tem agora {credits}.",
    ),
    # a campaign's results as a file (/status, Export)
    "button.export": "Exportar resultados (CSV)",
    "export.ready": Plural(
        one="Resultados de #{id}: {count} número, uma linha cada.",
        other="Resultados de #{id}: {count} números, uma linha cada.",
    ),
    "export.failed": "Não consegui escrever o ficheiro de resultados de #{id}; tente mais tarde.",
    "export.number": "número",
    "export.status": "estado",
    "export.reason": "motivo",
    "export.msg_id": "id da mensagem na uSendit",
    "export.sms": "SMS (partes)",
    "export.text": "Texto",
    "export.excluded": "Na lista de exclusão: nunca enviado, nunca cobrado.",
    "export.state.pending": "Ainda não enviado.",
    "export.state.in_flight": "A ser enviado.",
    "export.state.accepted": "Aceite; a uSendit não deu estado para este número.",
    "export.state.rejected": "Recusado pela uSendit.",
    "export.state.unknown": "Ainda não se sabe se foi enviado; a confirmar com a uSendit.",
    "export.state.not_sent": "Não enviado: a uSendit não tem rasto dele.",
    "export.state.skipped": "Não enviado: a campanha parou antes desta parte.",
    "export.state.duplicate": "Enviado duas vezes: a uSendit tem dois eventos para esta parte.",
    "form.template": "Modelo",
    "form.template_placeholder": "Escolha um modelo",
    "form.list": "Lista guardada",
    "form.list_placeholder": "Escolha uma lista guardada",
    "form.text_hint": "Ou deixe-o vazio e escolha um modelo abaixo.",
    "form.recipients_hint_lists": "Espaços, vírgulas ou um por linha, ou lista:<nome>. Deixe "
    "vazio para escolher uma lista guardada abaixo, ou para partilhar um ficheiro CSV ou TXT "
    "na conversa.",
    "form.error.template_and_text": "Escolha um modelo ou escreva um texto, não ambos.",
    "form.error.list_and_recipients": "Escolha uma lista guardada ou escreva números, não ambos.",
    # aprovação de envios grandes (/aprovacao)
    "command.approval": "aprovacao",
    "args.approval": "[créditos|desligar|conversa]",
    "help.approval": "campanhas acima de um número de créditos esperam por uma segunda pessoa",
    "approval.off_word": "desligar",
    "approval.chat_word": "conversa",
    "approval.usage": "Use: /aprovacao <créditos> (por exemplo /aprovacao 5000), /aprovacao "
    "desligar, ou /aprovacao conversa na conversa onde as aprovações são decididas "
    "(/aprovacao conversa desligar desfaz).",
    "approval.none": "As campanhas feitas nesta conversa não precisam de aprovação. Um "
    "administrador define um limite: /aprovacao 5000",
    "approval.current": Plural(
        one="As campanhas feitas nesta conversa com mais de {count} crédito esperam por uma "
        "segunda pessoa (remetente ou administrador que não seja o autor), no máximo "
        "{minutes} min.",
        other="As campanhas feitas nesta conversa com mais de {count} créditos esperam por "
        "uma segunda pessoa (remetente ou administrador que não seja o autor), no máximo "
        "{minutes} min.",
    ),
    "approval.set": Plural(
        one="Feito: as campanhas feitas nesta conversa com mais de {count} crédito vão esperar "
        "por uma segunda pessoa (remetente ou administrador que não seja o autor), no máximo "
        "{minutes} min.",
        other="Feito: as campanhas feitas nesta conversa com mais de {count} créditos vão "
        "esperar por uma segunda pessoa (remetente ou administrador que não seja o autor), "
        "no máximo {minutes} min.",
    ),
    "approval.removed": "Feito: as campanhas feitas nesta conversa já não precisam de aprovação.",
    "approval.chat_set": "Feito: as aprovações de todas as campanhas de {account} são pedidas "
    "nesta conversa.",
    "approval.chat_removed": "Feito: as aprovações das campanhas de {account} são pedidas na "
    "conversa onde cada campanha foi feita.",
    "approval.chat_own": "As aprovações das campanhas de {account} são pedidas na conversa "
    "onde cada campanha foi feita.",
    "approval.chat_this": "As aprovações das campanhas de {account} são pedidas nesta conversa.",
    "approval.chat_other": "As aprovações das campanhas de {account} são pedidas noutra "
    "conversa (escolhida lá com /aprovacao conversa).",
    "approval.asked_here": Plural(
        one="#{id} gasta {credits}, acima do limite de aprovação, {count} "
        "crédito: espera que um remetente ou administrador que não seja você a aprove aqui, "
        "até {time}.",
        other="#{id} gasta {credits}, acima do limite de aprovação, {count} "
        "créditos: espera que um remetente ou administrador que não seja você a aprove aqui, "
        "até {time}.",
    ),
    "approval.asked_elsewhere": Plural(
        one="#{id} gasta {credits}, acima do limite de aprovação, {count} "
        "crédito: espera que um remetente ou administrador que não seja você a aprove na "
        "conversa de aprovação, até {time}.",
        other="#{id} gasta {credits}, acima do limite de aprovação, {count} "
        "créditos: espera que um remetente ou administrador que não seja você a aprove na "
        "conversa de aprovação, até {time}.",
    ),
    "approval.waiting": "#{id} espera aprovação (até {time}): entretanto não pode ser "
    "alterada, confirmada nem cancelada.",
    "approval.already_approved": "#{id} já foi aprovada por {name}.",
    "approval.already_rejected": "#{id} já foi rejeitada por {name}.",
    "approval.already_expired": "A aprovação de #{id} expirou: não foi enviada.",
    "approval.own": "Foi você que fez #{id}: outra pessoa tem de a aprovar ou rejeitar.",
    "approval.unavailable": "#{id} mudou depois de pedida a aprovação: já não pode ser "
    "aprovada, e nada foi enviado.",
    "approval.you_approved": "Aprovou #{id}: está a ser enviada.",
    "approval.you_rejected": "Rejeitou #{id}: nada será enviado.",
    "approval.status_waiting": "À espera de aprovação por um remetente ou administrador "
    "que não seja {name}, até {time}.",
    "approval.status_approved": "Aprovada por {name}.",
    "approval.status_rejected": "Rejeitada por {name}: nada foi enviado.",
    "approval.status_expired": "Ninguém a aprovou a tempo: nada foi enviado.",
    "approval.request": Plural(
        one="Aprovação pedida: #{id} de {name}, {recipients}, {credits} (limite: {count} crédito).",
        other="Aprovação pedida: #{id} de {name}, {recipients}, {credits} "
        "(limite: {count} créditos).",
    ),
    "approval.request_text": "Texto: {text}",
    "approval.request_when": "Envio: {when}. Decida antes de {time}.",
    "approval.decided_approved": "Aprovada por {name}.",
    "approval.decided_rejected": "Rejeitada por {name}.",
    "approval.decided_expired": "Expirou: ninguém decidiu a tempo; não foi enviada.",
    "approval.approved": "{name} aprovou #{id}: está a ser enviada.",
    "approval.rejected": "{name} rejeitou #{id}: nada foi enviado.",
    "approval.expired": "Ninguém aprovou #{id} a tempo: nada foi enviado. /enviar recomeça.",
    "button.approve": "Aprovar",
    "button.reject": "Rejeitar",
    # o registo de auditoria (/auditoria)
    "command.audit": "auditoria",
    "args.audit": "[número]",
    "help.audit": "o registo de auditoria: quem gastou créditos ou mudou acessos, com "
    "exportação CSV",
    "audit.usage": "Use /auditoria, ou /auditoria <quantas> (no máximo {max}).",
    "audit.none": "Ainda não há nada no registo de auditoria.",
    "audit.title_account": "Registo de auditoria de {account} e desta conversa, mais recentes "
    "primeiro:",
    "audit.title_chat": "Registo de auditoria desta conversa, mais recentes primeiro:",
    "audit.line": "{when} · {who} em {where}: {what}",
    "audit.refused": "{what}, recusado: {reason}",
    "button.export_audit": "Exportar (CSV)",
    "audit.export_ready": Plural(
        one="O registo de auditoria: {count} entrada, uma linha cada.",
        other="O registo de auditoria: {count} entradas, uma linha cada.",
    ),
    "audit.export_failed": "Não consegui escrever o ficheiro do registo de auditoria; tente daqui "
    "a pouco.",
    "audit.what.confirm": "confirmou a campanha #{campaign} ({credits})",
    "audit.what.continue": "pediu para continuar o envio da campanha #{campaign}",
    "audit.what.resend": "pediu para reenviar as partes da campanha #{campaign} que a uSendit "
    "nunca recebeu",
    "audit.what.approve": "aprovou a campanha #{campaign}",
    "audit.what.reject": "rejeitou a campanha #{campaign}",
    "audit.what.buy": "comprou o pacote {pack} ({amount})",
    "audit.what.buy_promo": "comprou o pacote {pack} com um código promocional ({amount})",
    "audit.what.signup": "criou a conta uSendit {username}",
    "audit.what.signup_confirm": "confirmou a conta uSendit {username}",
    "audit.what.login": "associou a conta uSendit {username}",
    "audit.what.logout": "desassociou a conta uSendit {username}",
    "audit.what.role": "o papel {role} é agora de {name}",
    "audit.what.role_none": "ninguém tem agora o papel {role}",
    "audit.what.setting": "mudou {setting} para {value}",
    "audit.what.optout_add": Plural(
        one="juntou {count} número à lista de exclusão",
        other="juntou {count} números à lista de exclusão",
    ),
    "audit.what.optout_remove": Plural(
        one="tirou {count} número da lista de exclusão",
        other="tirou {count} números da lista de exclusão",
    ),
    "audit.what.template_save": "guardou o modelo {name}",
    "audit.what.template_delete": "apagou o modelo {name}",
    "audit.what.list_save": Plural(
        one="guardou a lista {name} ({count} número)",
        other="guardou a lista {name} ({count} números)",
    ),
    "audit.what.list_delete": "apagou a lista {name}",
    "audit.setting.lang": "o idioma",
    "audit.setting.timezone": "o fuso horário",
    "audit.setting.alert": "o alerta de créditos baixos",
    "audit.column.id": "entrada",
    "audit.column.at": "quando (UTC)",
    "audit.column.who": "quem",
    "audit.column.name": "nome",
    "audit.column.chat": "conversa",
    "audit.column.platform": "plataforma",
    "audit.column.account": "conta",
    "audit.column.action": "ação",
    "audit.column.what": "detalhes",
    "audit.column.said": "descrição",
    "personal.columns": "Colunas que pode usar no texto: {columns}",
    "personal.title": "Este texto não serve para a lista:",
    "personal.unknown": Plural(
        one="Nenhuma coluna se chama {fields}. As colunas do ficheiro: {columns}.",
        other="Nenhuma coluna se chama {fields}. As colunas do ficheiro: {columns}.",
    ),
    "personal.no_columns": Plural(
        one="Campo desconhecido {fields}: estes destinatários não têm colunas. Os campos vêm "
        "de um ficheiro CSV com cabeçalho (uma lista guardada só guarda números).",
        other="Campos desconhecidos {fields}: estes destinatários não têm colunas. Os campos "
        "vêm de um ficheiro CSV com cabeçalho (uma lista guardada só guarda números).",
    ),
    "personal.empty": Plural(
        one="Valor vazio na linha {lines}.",
        other="Valores vazios nas linhas {lines}.",
    ),
    "personal.unsendable": Plural(
        one="Caracteres que nenhum SMS transporta na linha {lines}.",
        other="Caracteres que nenhum SMS transporta nas linhas {lines}.",
    ),
    "personal.too_long": Plural(
        one="Texto longo demais (mais de {max} segmentos) na linha {lines}.",
        other="Textos longos demais (mais de {max} segmentos) nas linhas {lines}.",
    ),
    "personal.line_segments": "{line} ({segments} segmentos)",
    "personal.more": Plural(one=" e mais {count}", other=" e mais {count}"),
    "personal.longest": Plural(
        by="segments",
        one="Mensagem mais longa (linha {line}, {segments} segmento):",
        other="Mensagem mais longa (linha {line}, {segments} segmentos):",
    ),
    "personal.samples": "Amostra:",
    "personal.mixed": "UCS-2 em {count} de {total} mensagens, GSM-7 nas restantes",
    "personal.facts": "Destinatários: {recipients}\nCodificação: {encoding}\n"
    "Segmentos por mensagem: {low} a {high}\nCréditos necessários: {needed} "
    "(saldo: {balance})\nRemetente: {sender}\nQuando: {when}",
    "personal.plain_offer": "Sem acentos todas as mensagens seriam GSM-7: {credits} créditos "
    "em vez de {needed}.",
}

STATUSES: dict[str, str] = {
    "PROVIDER_UNAVAILABLE": "Não foi possível contactar a uSendit; carregue em Continuar para "
    "tentar de novo.",
    "INVALID_REQUEST": "O texto ou o remetente tem um carácter que um SMS não pode levar.",
    "SUCCESS": "Feito.",
    "SCHEDULE_OK": "As mensagens foram agendadas.",
    "SCHEDULE_OK_WARNING": (
        "As mensagens foram agendadas, mas alguns destinatários foram rejeitados."
    ),
    "SCHEDULE_UNKNOWN": "A uSendit não conhece esse agendamento nesta conta.",
    "SCHEDULE_ERROR": "A uSendit não conseguiu agendar as mensagens.",
    "USER_UNKNOWN": "A uSendit não reconhece este nome de utilizador e palavra-passe.",
    "USER_NOT_ALLOWED": "Esta conta não tem permissão para fazer isso.",
    "USER_PENDING_SMS_CONFIRMATION_CODE": (
        "A conta ainda não está confirmada: indique o código que a uSendit enviou por SMS."
    ),
    "PENDING_SMS_CONFIRMATION_CODE": (
        "A conta ainda não está confirmada: indique o código que a uSendit enviou por SMS."
    ),
    "INSUFFICIENT_CREDITS": "A conta não tem créditos suficientes para este envio.",
    "SMS_LIST_EMPTY": "Não havia mensagens para enviar.",
    "SMS_LIST_EXCEEDS_MAX_LENGTH": "Demasiadas mensagens num só pedido.",
    "SMS_LIST_ALL_RECIPIENTS_INVALID": "Todos os destinatários foram rejeitados.",
    "INTERNAL_CONFIGURATION_ERROR": "A uSendit tem um erro interno de configuração.",
    "PROCESS_SCHEDULE_LIST_ERROR": "A uSendit falhou ao processar a lista de mensagens.",
    "SCHEDULED": "Agendada.",
    "MSISDN_EMPTY": "O número de telefone está vazio.",
    "MSISDN_EXCEEDS_MAX_LENGTH": "O número de telefone é demasiado longo.",
    "MSISDN_INVALID": "O número de telefone não é válido.",
    "MSISDN_MOBILE_OPERATOR_UNKNOWN": "Não se conhece nenhum operador móvel para este número.",
    "MSISDN_INVALID_ROUTE": "A uSendit não consegue entregar no país ou na rede deste número.",
    "MESSAGE_TEXT_EMPTY": "O texto da mensagem está vazio.",
    "MESSAGE_TEXT_EXCEEDS_MAX_LENGTH": "O texto da mensagem é demasiado longo.",
    "SENDER_EXCEEDS_MAX_LENGTH": (
        "O remetente é demasiado longo (no máximo 11 letras ou 16 dígitos)."
    ),
    "SENDER_NOT_ALLOWED": "Este nome de remetente não é permitido.",
    "PRIORITY_INVALID": "A prioridade não é válida.",
    "EXPIRATION_DATETIME_INVALID": "A hora de expiração não é válida.",
    "GENERIC_ERROR": "A uSendit comunicou um erro inesperado.",
    "OPERATION_INCOMPATIBLE_WITH_BILLING_TYPE": (
        "O tipo de faturação desta conta não tem saldo de créditos para mostrar."
    ),
    "NO_CREDIT_PACKS_AVAILABLE": "Não há pacotes de créditos à venda neste momento.",
    "INVALID_PACK_ID": "Não existe nenhum pacote de créditos com esse número.",
    "ERROR_GENERATING_PAYMENT_REFERENCE": (
        "A uSendit não conseguiu criar a referência de pagamento."
    ),
    "CALLER_UNKNOWN": "A uSendit não reconhece esta aplicação (caller).",
    "MISSING_INVOICE_INFO": "A conta ainda não tem dados de faturação.",
    "PROMOTIONAL_CAMPAIGN_NOT_EXISTS": "Esse código promocional não existe.",
    "PROMOTIONAL_CAMPAIGN_NOT_ACTIVE": "Esse código promocional não está ativo.",
    "PROMOTIONAL_CAMPAIGN_EXCEEDED_MAX_CODE_REDEMPTION": (
        "Esse código promocional já foi usado o número máximo de vezes."
    ),
    "PROMOTIONAL_CAMPAIGN_INVALID_PACK": "Esse código promocional não se aplica a este pacote.",
    "ERROR": "Não foi possível contar o texto.",
    "GSM7": "Alfabeto GSM de 7 bits.",
    "UCS2": "UCS-2 (Unicode).",
    "EMPTY_CONFIRMATION_CODE": "O código de confirmação está vazio.",
    "INVALID_CONFIRMATION_CODE": "O código de confirmação está errado.",
    "ACCOUNT_ALREADY_CONFIRMED": "A conta já está confirmada.",
    "NO_MORE_RETRIES_ALLOWED": "Não é possível reenviar o código: demasiadas tentativas.",
    "ERROR_RESENDING_SMS_CONFIRMATION": "A uSendit não conseguiu reenviar o código.",
    "USERNAME_EMPTY": "O nome de utilizador está vazio.",
    "USERNAME_NOT_ALLOWED": "Esse nome de utilizador não é permitido.",
    "USERNAME_EXCEEDS_MAX_LENGTH": "O nome de utilizador é demasiado longo.",
    "PASSWORD_EXCEEDS_MAX_LENGTH": "A palavra-passe é demasiado longa.",
    "PASSWORD_INVALID": "A palavra-passe não cumpre as regras da uSendit.",
    "EMAIL_EXCEEDS_MAX_LENGTH": "O endereço de email é demasiado longo.",
    "EMAIL_INVALID": "O endereço de email não é válido.",
    "MSISDN_ALREADY_IN_USE": "Esse número de telefone já tem uma conta.",
    "ACCOUNT_NAME_EMPTY": "O nome da conta está vazio.",
    "ACCOUNT_NAME_EXCEEDS_MAX_LENGTH": "O nome da conta é demasiado longo.",
    "ACCOUNT_NAME_NOT_ALLOWED": "Esse nome de conta não é permitido.",
    "ERROR_SENDING_SMS_CONFIRMATION": "A uSendit não conseguiu enviar o SMS de confirmação.",
    "ACCOUNT_VALIDATION_ERROR": "A uSendit não conseguiu validar os dados da conta.",
    "USERNAME_OR_EMAIL_ALREADY_IN_USE": (
        "Esse nome de utilizador ou endereço de email já está a ser usado."
    ),
    "ACCOUNT_INFO_EMPTY": "Faltam os dados da conta.",
    "INVOICE_INFO_EMPTY": "Faltam os dados de faturação.",
    "INVOICE_INFO_INVALID": "Os dados de faturação não são válidos.",
    "PT": "Portugal.",
    "OTHER": "Outro.",
    "SMS_MARKETING": "Marketing por SMS.",
    "EMAIL_MARKETING": "Marketing por email.",
    "FACEBOOK": "Facebook.",
    "LINKED_IN": "LinkedIn.",
    "RECOMMENDATION": "Uma recomendação.",
    "COMMERCIAL_AGENT": "Um agente comercial.",
    "INTERNET_SEARCH": "Uma pesquisa na internet.",
    "TV_SPOT": "Um anúncio de televisão.",
    "WEB_SITE_SPOT": "Um anúncio num site.",
}
